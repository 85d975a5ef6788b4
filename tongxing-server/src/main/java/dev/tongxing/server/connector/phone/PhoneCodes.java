package dev.tongxing.server.connector.phone;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code phone_code} and {@code phone_send_gate} tables; the only class that touches them. Phone
 * numbers and addresses arrive here already digested (see {@link PhoneDigests}).
 */
@Repository
class PhoneCodes {

	static final String ACTIVE = "active";

	static final String USED = "used";

	static final String DEAD = "dead";

	static final String REPLACED = "replaced";

	/**
	 * A notice (not a code) sent to the number, e.g. that a change of the account's number was scheduled: it
	 * counts against the send limits like a code, and can never be verified.
	 */
	static final String NOTICE = "notice";

	/** A code as stored. */
	record StoredCode(String id, String codeDigest, Instant expiresAt, int failedAttempts, String state) {
	}

	private final JdbcClient jdbc;

	PhoneCodes(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** Makes sure each gate row exists; runs outside any transaction (a duplicate is expected, not an error). */
	void ensureGates(List<String> gates, Instant now) {
		for (String gate : gates) {
			boolean exists = this.jdbc.sql("SELECT COUNT(*) FROM phone_send_gate WHERE gate = :g")
				.param("g", gate)
				.query(Integer.class)
				.single() > 0;
			if (!exists) {
				try {
					this.jdbc.sql("INSERT INTO phone_send_gate (gate, used_at) VALUES (:g, :at)")
						.param("g", gate)
						.param("at", utc(now))
						.update();
				}
				catch (DuplicateKeyException raced) {
					// another request created it at the same moment
				}
			}
		}
	}

	/**
	 * Locks the gates until the surrounding transaction ends, always in the same order (no deadlocks).
	 * @return how many were locked; fewer than asked means one was purged meanwhile
	 */
	int lockGates(List<String> gates, Instant now) {
		List<String> locked = this.jdbc
			.sql("SELECT gate FROM phone_send_gate WHERE gate IN (:gates) ORDER BY gate FOR UPDATE")
			.param("gates", gates)
			.query(String.class)
			.list();
		this.jdbc.sql("UPDATE phone_send_gate SET used_at = :at WHERE gate IN (:gates)")
			.param("at", utc(now))
			.param("gates", gates)
			.update();
		return locked.size();
	}

	/**
	 * Forgets a number (its account was deleted): its codes and its send-limit gate, the rows that hold its
	 * digest. The address gates stay; they name no person.
	 * @return how many rows went
	 */
	int forgetPhone(String phoneDigest) {
		return this.jdbc.sql("DELETE FROM phone_code WHERE phone_digest = :d").param("d", phoneDigest).update()
				+ this.jdbc.sql("DELETE FROM phone_send_gate WHERE gate = :g").param("g", "n:" + phoneDigest).update();
	}

	/** Send times for a number since {@code since}, newest first. */
	List<Instant> sendsToPhone(String phoneDigest, Instant since) {
		return sends("phone_digest", phoneDigest, since);
	}

	/** Send times of the notices to a number since {@code since} (stored under the notices' own address), newest first. */
	List<Instant> noticesToPhone(String phoneDigest, String noticeDigest, Instant since) {
		return this.jdbc
			.sql("SELECT created_at FROM phone_code WHERE phone_digest = :p AND client_ip_digest = :n AND created_at > :since"
					+ " ORDER BY created_at DESC")
			.param("p", phoneDigest)
			.param("n", noticeDigest)
			.param("since", utc(since))
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
	}

	/** Send times for a client address since {@code since}, newest first. */
	List<Instant> sendsFromIp(String ipDigest, Instant since) {
		return sends("client_ip_digest", ipDigest, since);
	}

	private List<Instant> sends(String column, String digest, Instant since) {
		return this.jdbc
			.sql("SELECT created_at FROM phone_code WHERE " + column + " = :d AND created_at > :since"
					+ " ORDER BY created_at DESC")
			.param("d", digest)
			.param("since", utc(since))
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.list();
	}

	/** Stores a new active code and retires the number's earlier ones. */
	void insertReplacing(String id, String phoneDigest, String ipDigest, String codeDigest, Instant now,
			Instant expiresAt) {
		this.jdbc.sql("UPDATE phone_code SET state = :replaced WHERE phone_digest = :p AND state = :active")
			.param("replaced", REPLACED)
			.param("active", ACTIVE)
			.param("p", phoneDigest)
			.update();
		this.jdbc.sql("""
				INSERT INTO phone_code (id, phone_digest, client_ip_digest, code_digest, created_at, expires_at,
				    failed_attempts, state)
				VALUES (:id, :p, :ip, :c, :at, :exp, 0, :active)""")
			.param("id", id)
			.param("p", phoneDigest)
			.param("ip", ipDigest)
			.param("c", codeDigest)
			.param("at", utc(now))
			.param("exp", utc(expiresAt))
			.param("active", ACTIVE)
			.update();
	}

	/** Stores a sent notice, so it counts against the number's and the address's send limits. */
	void insertNotice(String id, String phoneDigest, String ipDigest, String unusableDigest, Instant now) {
		this.jdbc.sql("""
				INSERT INTO phone_code (id, phone_digest, client_ip_digest, code_digest, created_at, expires_at,
				    failed_attempts, state)
				VALUES (:id, :p, :ip, :c, :at, :at, 0, :notice)""")
			.param("id", id)
			.param("p", phoneDigest)
			.param("ip", ipDigest)
			.param("c", unusableDigest)
			.param("at", utc(now))
			.param("notice", NOTICE)
			.update();
	}

	/** Forgets a code that never reached the phone, so it neither works nor counts against the limits. */
	void delete(String id) {
		this.jdbc.sql("DELETE FROM phone_code WHERE id = :id").param("id", id).update();
	}

	/** The number's newest code (notices are not codes), locked until the surrounding transaction ends. */
	Optional<StoredCode> latestForUpdate(String phoneDigest) {
		return this.jdbc.sql("""
				SELECT id, code_digest, expires_at, failed_attempts, state FROM phone_code
				WHERE phone_digest = :p AND state <> :notice ORDER BY created_at DESC, id FETCH FIRST 1 ROWS ONLY
				FOR UPDATE""")
			.param("p", phoneDigest)
			.param("notice", NOTICE)
			.query((rs, i) -> new StoredCode(rs.getString(1), rs.getString(2),
					rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4), rs.getString(5)))
			.optional();
	}

	void markUsed(String id) {
		setState(id, USED);
	}

	void recordFailure(String id, int failedAttempts, boolean dead) {
		this.jdbc.sql("UPDATE phone_code SET failed_attempts = :n, state = :state WHERE id = :id")
			.param("n", failedAttempts)
			.param("state", dead ? DEAD : ACTIVE)
			.param("id", id)
			.update();
	}

	private void setState(String id, String state) {
		this.jdbc.sql("UPDATE phone_code SET state = :state WHERE id = :id")
			.param("state", state)
			.param("id", id)
			.update();
	}

	/** Removes codes and gates nobody has used since {@code before}. */
	int purge(Instant before) {
		int codes = this.jdbc.sql("DELETE FROM phone_code WHERE created_at < :before")
			.param("before", utc(before))
			.update();
		this.jdbc.sql("DELETE FROM phone_send_gate WHERE used_at < :before").param("before", utc(before)).update();
		return codes;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
