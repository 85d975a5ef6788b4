package dev.tongxing.server.crypto;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Re-seals personal data under the current data key ({@code pii rekey}), so that a retired key can finally be
 * removed from the configuration. Goes through every declared {@link SealedColumns} in batches; each value is
 * replaced only if nobody changed it meanwhile, so it runs safely while the gateway serves. Values written in
 * clear before encryption existed are left to the migrations that own them.
 */
public final class PersonalDataRekey {

	/** What happened to one column. */
	public record ColumnResult(String column, long resealed, long unreadable) {
	}

	private final JoseDataCipher cipher;

	private final JdbcClient jdbc;

	private final List<SealedColumns> tables;

	private final int batchSize;

	public PersonalDataRekey(JoseDataCipher cipher, JdbcClient jdbc, List<SealedColumns> tables, int batchSize) {
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.tables = List.copyOf(tables);
		this.batchSize = Math.max(1, batchSize);
	}

	/** @return one result per column, in declaration order */
	public List<ColumnResult> rekey() {
		List<ColumnResult> results = new ArrayList<>();
		for (SealedColumns table : this.tables) {
			for (String column : table.columns()) {
				results.add(rekey(table, column));
			}
		}
		return results;
	}

	private ColumnResult rekey(SealedColumns table, String column) {
		long resealed = 0;
		long unreadable = 0;
		Object last = null;
		while (true) {
			String sql = "SELECT " + table.idColumn() + ", " + column + " FROM " + table.table() + " WHERE " + column
					+ " IS NOT NULL" + (last == null ? "" : " AND " + table.idColumn() + " > :last") + " ORDER BY "
					+ table.idColumn() + " FETCH FIRST " + this.batchSize + " ROWS ONLY";
			JdbcClient.StatementSpec select = this.jdbc.sql(sql);
			if (last != null) {
				select = select.param("last", last);
			}
			Map<Object, String> batch = new LinkedHashMap<>();
			select.query(rs -> {
				batch.put(rs.getObject(1), rs.getString(2));
			});
			for (Map.Entry<Object, String> row : batch.entrySet()) {
				last = row.getKey();
				String value = row.getValue();
				if (!JoseDataCipher.isSealed(value)) {
					continue;
				}
				try {
					if (!this.cipher.needsRekey(value)) {
						continue;
					}
					String fresh = this.cipher.reseal(value);
					resealed += this.jdbc
						.sql("UPDATE " + table.table() + " SET " + column + " = :fresh WHERE " + table.idColumn()
								+ " = :id AND " + column + " = :old")
						.param("fresh", fresh)
						.param("id", row.getKey())
						.param("old", value)
						.update();
				}
				catch (IllegalStateException ex) {
					unreadable++; // sealed under a key no longer configured, or damaged: reported, never guessed at
				}
			}
			if (batch.size() < this.batchSize) {
				return new ColumnResult(table.table() + "." + column, resealed, unreadable);
			}
		}
	}

}
