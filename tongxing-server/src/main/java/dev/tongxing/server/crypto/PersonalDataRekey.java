package dev.tongxing.server.crypto;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Re-seals personal data under the current data key ({@code pii rekey}), so that a retired key can finally be
 * removed from the configuration. Goes through every declared {@link SealedColumns}, and every column named
 * {@code *_sealed} in the schema (the convention, so that no table is forgotten), in batches; each value is
 * replaced only if nobody changed it meanwhile, so it runs safely while the gateway serves. Values written in
 * clear before encryption existed are left to the migrations that own them.
 */
public final class PersonalDataRekey {

	private static final Logger log = LoggerFactory.getLogger(PersonalDataRekey.class);

	/**
	 * What happened to one column.
	 * @param skipped the column could not be gone through (its table has no single-column primary key)
	 */
	public record ColumnResult(String column, long resealed, long unreadable, boolean skipped) {
	}

	private final JoseDataCipher cipher;

	private final JdbcClient jdbc;

	private final List<SealedColumns> tables;

	private final DataSource dataSource;

	private final int batchSize;

	public PersonalDataRekey(JoseDataCipher cipher, JdbcClient jdbc, DataSource dataSource, List<SealedColumns> tables,
			int batchSize) {
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.dataSource = dataSource;
		this.tables = List.copyOf(tables);
		this.batchSize = Math.max(1, batchSize);
	}

	/** @return one result per column: the declared ones in declaration order, then the discovered ones */
	public List<ColumnResult> rekey() {
		Map<String, ColumnResult> results = new LinkedHashMap<>();
		for (SealedColumns table : this.tables) {
			for (String column : table.columns()) {
				results.computeIfAbsent(table.table() + "." + column, name -> rekey(table, column));
			}
		}
		for (Map.Entry<String, Optional<SealedColumns>> found : conventionalColumns().entrySet()) {
			if (results.containsKey(found.getKey())) {
				continue;
			}
			if (found.getValue().isEmpty()) {
				log.warn("{} holds sealed values but its table has no single-column primary key: not re-sealed",
						found.getKey());
				results.put(found.getKey(), new ColumnResult(found.getKey(), 0, 0, true));
				continue;
			}
			SealedColumns table = found.getValue().get();
			results.put(found.getKey(), rekey(table, table.columns().get(0)));
		}
		return List.copyOf(results.values());
	}

	/** Columns named {@code *_sealed} in the current schema, by "table.column", with their table's key if usable. */
	private Map<String, Optional<SealedColumns>> conventionalColumns() {
		Map<String, Optional<SealedColumns>> found = new TreeMap<>();
		try (Connection connection = this.dataSource.getConnection()) {
			DatabaseMetaData meta = connection.getMetaData();
			String schema = connection.getSchema();
			try (ResultSet columns = meta.getColumns(connection.getCatalog(), schema, "%", "%")) {
				while (columns.next()) {
					String table = columns.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
					String column = columns.getString("COLUMN_NAME").toLowerCase(Locale.ROOT);
					if (column.endsWith("_sealed")) {
						found.put(table + "." + column, Optional.empty());
					}
				}
			}
			for (Map.Entry<String, Optional<SealedColumns>> entry : found.entrySet()) {
				String table = entry.getKey().substring(0, entry.getKey().indexOf('.'));
				String column = entry.getKey().substring(table.length() + 1);
				List<String> key = new ArrayList<>();
				for (String name : List.of(table, table.toUpperCase(Locale.ROOT))) {
					try (ResultSet keys = meta.getPrimaryKeys(connection.getCatalog(), schema, name)) {
						while (keys.next()) {
							key.add(keys.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
						}
					}
					if (!key.isEmpty()) {
						break;
					}
				}
				if (key.size() == 1) {
					entry.setValue(Optional.of(SealedColumns.of(table, key.get(0), column)));
				}
			}
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the schema to find sealed columns", ex);
		}
		return found;
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
				return new ColumnResult(table.table() + "." + column, resealed, unreadable, false);
			}
		}
	}

}
