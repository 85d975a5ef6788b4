package dev.tongxing.server.transfer;

import dev.tongxing.server.crypto.PersonalDataCipher;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The transfer package's tables: who was imported as which account, and the subs clients knew them by. */
@Repository
class ImportedPeople {

	/** The lookup hash's purpose: old ids are only ever compared, never opened. */
	private static final String OLD_ID_PURPOSE = "transfer-old-id";

	private final JdbcClient jdbc;

	private final PersonalDataCipher cipher;

	private final boolean postgres;

	private final org.springframework.jdbc.core.JdbcTemplate batch;

	ImportedPeople(JdbcClient jdbc, PersonalDataCipher cipher, javax.sql.DataSource dataSource,
			org.springframework.jdbc.core.JdbcTemplate batch) {
		this.batch = batch;
		this.jdbc = jdbc;
		this.cipher = cipher;
		this.postgres = isPostgres(dataSource);
	}

	private static boolean isPostgres(javax.sql.DataSource dataSource) {
		try {
			String product = org.springframework.jdbc.support.JdbcUtils.extractDatabaseMetaData(dataSource,
					java.sql.DatabaseMetaData::getDatabaseProductName);
			return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
		}
		catch (org.springframework.jdbc.support.MetaDataAccessException ex) {
			return false;
		}
	}

	/**
	 * The current (import) transaction commits without waiting for its WAL flush (PostgreSQL). Safe here: the
	 * run's checkpoint commits durably after its records, and flushing it flushes them; a crash loses at most
	 * records after the last checkpoint, which the next run imports again.
	 */
	void commitWithoutWaitingForDisk() {
		if (this.postgres) {
			this.jdbc.sql("SET LOCAL synchronous_commit = off").update();
		}
	}

	/**
	 * An old system's user as imported.
	 * @param oldId null once the account was erased
	 */
	record Imported(String oldId, String accountId, String recordSha256, String outcome, String consentPolicyVersion,
			Instant consentAt) {
	}

	String oldIdHash(String oldId) {
		return this.cipher.lookupHash(OLD_ID_PURPOSE, oldId);
	}

	Optional<Imported> byOldId(String oldId) {
		return this.jdbc.sql("""
				SELECT old_id, account_id, record_sha256, outcome, consent_policy_version, consent_at
				FROM transfer_imported_person WHERE old_id_hash = :h""")
			.param("h", oldIdHash(oldId))
			.query((rs, i) -> imported(rs))
			.optional();
	}

	Optional<Imported> byAccount(String accountId) {
		return this.jdbc.sql("""
				SELECT old_id, account_id, record_sha256, outcome, consent_policy_version, consent_at
				FROM transfer_imported_person WHERE account_id = :a AND old_id IS NOT NULL
				ORDER BY imported_at FETCH FIRST 1 ROWS ONLY""")
			.param("a", accountId)
			.query((rs, i) -> imported(rs))
			.optional();
	}

	void save(String oldId, String accountId, String recordSha256, String outcome, UserRecord.Consent consent,
			Instant now, boolean known) {
		int updated = !known ? 0 : this.jdbc.sql("""
				UPDATE transfer_imported_person SET account_id = :a, record_sha256 = :r, outcome = :o,
				    consent_policy_version = :cv, consent_at = :ca, imported_at = :now
				WHERE old_id_hash = :h""")
			.param("h", oldIdHash(oldId))
			.param("a", accountId)
			.param("r", recordSha256)
			.param("o", outcome)
			.param("cv", consent == null ? null : consent.policyVersion())
			.param("ca", consent == null ? null : consent.at().atOffset(ZoneOffset.UTC))
			.param("now", now.atOffset(ZoneOffset.UTC))
			.update();
		if (updated == 0) {
			this.jdbc.sql("""
					INSERT INTO transfer_imported_person (old_id_hash, old_id, account_id, record_sha256, outcome,
					    consent_policy_version, consent_at, imported_at)
					VALUES (:h, :id, :a, :r, :o, :cv, :ca, :now)""")
				.param("h", oldIdHash(oldId))
				.param("id", oldId)
				.param("a", accountId)
				.param("r", recordSha256)
				.param("o", outcome)
				.param("cv", consent == null ? null : consent.policyVersion())
				.param("ca", consent == null ? null : consent.at().atOffset(ZoneOffset.UTC))
				.param("now", now.atOffset(ZoneOffset.UTC))
				.update();
		}
	}

	/** Which of these old users were imported before (erased ones included: they are never brought back). */
	java.util.Set<String> knownOldIds(java.util.Collection<String> oldIds) {
		Map<String, String> byHash = new LinkedHashMap<>();
		oldIds.forEach(id -> byHash.put(oldIdHash(id), id));
		java.util.Set<String> known = new java.util.HashSet<>();
		java.util.List<String> hashes = java.util.List.copyOf(byHash.keySet());
		for (int from = 0; from < hashes.size(); from += 500) {
			this.jdbc.sql("SELECT old_id_hash FROM transfer_imported_person WHERE old_id_hash IN (:h)")
				.param("h", hashes.subList(from, Math.min(hashes.size(), from + 500)))
				.query(String.class)
				.list()
				.forEach(h -> known.add(byHash.get(h)));
		}
		return known;
	}

	/** Which of these subs some account already has at the client. */
	java.util.Set<String> takenSubjects(String clientId, java.util.Collection<String> subjects) {
		java.util.Set<String> taken = new java.util.HashSet<>();
		java.util.List<String> all = java.util.List.copyOf(new java.util.LinkedHashSet<>(subjects));
		for (int from = 0; from < all.size(); from += 500) {
			taken.addAll(this.jdbc.sql("SELECT subject FROM transfer_client_subject WHERE client_id = :c AND subject IN (:s)")
				.param("c", clientId)
				.param("s", all.subList(from, Math.min(all.size(), from + 500)))
				.query(String.class)
				.list());
		}
		return taken;
	}

	/** A new old user, as {@link #save} with {@code known} false writes it. */
	record NewImported(String oldId, String accountId, String recordSha256, String outcome, UserRecord.Consent consent,
			Map<String, String> subjects) {
	}

	/** {@link #save} and {@link #addSubject} for many new old users: one batch of inserts per table. */
	void saveAll(java.util.List<NewImported> people, Instant now) {
		java.util.List<Object[]> rows = new java.util.ArrayList<>();
		java.util.List<Object[]> subjects = new java.util.ArrayList<>();
		for (NewImported p : people) {
			rows.add(new Object[] { oldIdHash(p.oldId()), p.oldId(), p.accountId(), p.recordSha256(), p.outcome(),
					p.consent() == null ? null : p.consent().policyVersion(),
					p.consent() == null ? null : p.consent().at().atOffset(ZoneOffset.UTC), now.atOffset(ZoneOffset.UTC) });
			p.subjects().forEach((client, sub) -> subjects.add(new Object[] { p.accountId(), client, sub }));
		}
		this.batch.batchUpdate("""
				INSERT INTO transfer_imported_person (old_id_hash, old_id, account_id, record_sha256, outcome,
				    consent_policy_version, consent_at, imported_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", rows);
		this.batch.batchUpdate("INSERT INTO transfer_client_subject (account_id, client_id, subject) VALUES (?, ?, ?)",
				subjects);
	}

	/** The subs clients know the account by, by client id. */
	Map<String, String> subjects(String accountId) {
		Map<String, String> subs = new LinkedHashMap<>();
		this.jdbc.sql("SELECT client_id, subject FROM transfer_client_subject WHERE account_id = :a ORDER BY client_id")
			.param("a", accountId)
			.query((rs, i) -> subs.put(rs.getString(1), rs.getString(2)))
			.list();
		return subs;
	}

	Optional<String> subject(String accountId, String clientId) {
		return this.jdbc.sql("SELECT subject FROM transfer_client_subject WHERE account_id = :a AND client_id = :c")
			.param("a", accountId)
			.param("c", clientId)
			.query(String.class)
			.optional();
	}

	boolean anySubjects(String clientId) {
		return !this.jdbc.sql("SELECT 1 FROM transfer_client_subject WHERE client_id = :c FETCH FIRST 1 ROWS ONLY")
			.param("c", clientId)
			.query(Integer.class)
			.list()
			.isEmpty();
	}

	Optional<String> accountFor(String clientId, String subject) {
		return this.jdbc.sql("SELECT account_id FROM transfer_client_subject WHERE client_id = :c AND subject = :s")
			.param("c", clientId)
			.param("s", subject)
			.query(String.class)
			.optional();
	}

	void addSubject(String accountId, String clientId, String subject) {
		this.jdbc.sql("INSERT INTO transfer_client_subject (account_id, client_id, subject) VALUES (:a, :c, :s)")
			.param("a", accountId)
			.param("c", clientId)
			.param("s", subject)
			.update();
	}

	/** A merged account's subs and old ids go to the account it was merged into (its tokens are that one's now). */
	void merged(String intoAccountId, String fromAccountId) {
		Map<String, String> into = subjects(intoAccountId);
		subjects(fromAccountId).forEach((client, subject) -> {
			if (!into.containsKey(client)) {
				this.jdbc.sql("UPDATE transfer_client_subject SET account_id = :into WHERE account_id = :from AND client_id = :c")
					.param("into", intoAccountId)
					.param("from", fromAccountId)
					.param("c", client)
					.update();
			}
		});
		this.jdbc.sql("UPDATE transfer_imported_person SET account_id = :into WHERE account_id = :from")
			.param("into", intoAccountId)
			.param("from", fromAccountId)
			.update();
	}

	/**
	 * An erased account: its subs and the old id go; the old id's hash stays, so that importing the old file
	 * again does not bring the person back.
	 */
	void erase(String accountId) {
		this.jdbc.sql("DELETE FROM transfer_client_subject WHERE account_id = :a").param("a", accountId).update();
		this.jdbc.sql("""
				UPDATE transfer_imported_person SET old_id = NULL, consent_policy_version = NULL, consent_at = NULL,
				    outcome = 'erased'
				WHERE account_id = :a""")
			.param("a", accountId)
			.update();
	}

	boolean finished(String fileSha256) {
		return this.jdbc.sql("SELECT COUNT(*) FROM transfer_import_run WHERE file_sha256 = :f AND finished_at IS NOT NULL")
			.param("f", fileSha256)
			.query(Long.class)
			.single() > 0;
	}

	long linesDone(String fileSha256) {
		return this.jdbc.sql("SELECT lines_done FROM transfer_import_run WHERE file_sha256 = :f")
			.param("f", fileSha256)
			.query(Long.class)
			.optional()
			.orElse(0L);
	}

	void checkpoint(String fileSha256, long linesDone, Instant now, boolean finished) {
		int updated = this.jdbc.sql("""
				UPDATE transfer_import_run SET lines_done = :n, updated_at = :now, finished_at = :fin
				WHERE file_sha256 = :f""")
			.param("f", fileSha256)
			.param("n", linesDone)
			.param("now", now.atOffset(ZoneOffset.UTC))
			.param("fin", finished ? now.atOffset(ZoneOffset.UTC) : null)
			.update();
		if (updated == 0) {
			this.jdbc.sql("""
					INSERT INTO transfer_import_run (file_sha256, lines_done, started_at, updated_at, finished_at)
					VALUES (:f, :n, :now, :now, :fin)""")
				.param("f", fileSha256)
				.param("n", linesDone)
				.param("now", now.atOffset(ZoneOffset.UTC))
				.param("fin", finished ? now.atOffset(ZoneOffset.UTC) : null)
				.update();
		}
	}

	private static Imported imported(java.sql.ResultSet rs) throws java.sql.SQLException {
		OffsetDateTime consentAt = rs.getObject(6, OffsetDateTime.class);
		return new Imported(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				consentAt == null ? null : consentAt.toInstant());
	}

}
