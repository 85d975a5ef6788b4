package dev.tongxing.server.connector.phone;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The {@code phone_change} table; the only class that touches it. Numbers arrive and leave sealed. Every write
 * joins the caller's transaction; the claims are conditional updates, so two nodes never both act on a row.
 */
@Repository
class PhoneChangeStore {

	static final String SCHEDULED = "scheduled";

	static final String CANCELLED = "cancelled";

	static final String APPLIED = "applied";

	static final String REFUSED = "refused";

	static final String NOTICE_PENDING = "pending";

	static final String NOTICE_SENT = "sent";

	static final String NOTICE_REFUSED = "refused";

	static final String NOTICE_FAILED = "failed";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String COLUMNS = """
			id, user_id, state, old_identity_id, old_phone_sealed, new_phone_sealed, requested_at, due_at,
			notice_state, notice_attempts, notice_locale""";

	/** A row as stored; the numbers still sealed. */
	record Row(String id, String userId, String state, String oldIdentityId, String oldPhoneSealed,
			String newPhoneSealed, Instant requestedAt, Instant dueAt, String noticeState, int noticeAttempts,
			String noticeLocale) {
	}

	private final JdbcClient jdbc;

	/** A savepoint inside the caller's transaction (losing a race must not abort it on PostgreSQL), else its own. */
	private final org.springframework.transaction.support.TransactionTemplate savepoint;

	PhoneChangeStore(JdbcClient jdbc, org.springframework.transaction.PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.savepoint = new org.springframework.transaction.support.TransactionTemplate(transactions);
		this.savepoint.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_NESTED);
	}

	/** @throws org.springframework.dao.DuplicateKeyException when the account has a scheduled change already */
	/** @param oldSealed the number replaced, or null when it was removed before (nobody to tell by SMS) */
	String insert(String userId, String oldIdentityId, String oldSealed, String newSealed, Instant now, Instant due,
			String locale) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		String id = HexFormat.of().formatHex(bytes);
		this.jdbc.sql("""
				INSERT INTO phone_change (id, user_id, pending_user_id, state, old_identity_id, old_phone_sealed,
				    new_phone_sealed, requested_at, due_at, notice_state, notice_attempts, notice_next_at, notice_locale)
				VALUES (:id, :u, :u, :st, :old, :oldp, :newp, :at, :due, :ns, 0, :at, :loc)""")
			.param("id", id)
			.param("u", userId)
			.param("st", SCHEDULED)
			.param("old", oldIdentityId)
			.param("oldp", oldSealed)
			.param("newp", newSealed)
			.param("at", utc(now))
			.param("due", utc(due))
			.param("ns", oldSealed == null ? NOTICE_REFUSED : NOTICE_PENDING)
			.param("loc", locale)
			.update();
		return id;
	}

	Optional<Row> find(String id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM phone_change WHERE id = :id")
			.param("id", id)
			.query((rs, i) -> map(rs))
			.optional();
	}

	/** The scheduled changes of these accounts. */
	List<Row> scheduledOf(Collection<String> userIds) {
		if (userIds.isEmpty()) {
			return List.of();
		}
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM phone_change WHERE pending_user_id IN (:u)")
			.param("u", userIds)
			.query((rs, i) -> map(rs))
			.list();
	}

	/** The ids of scheduled changes due by {@code now}, oldest first. */
	List<String> due(Instant now, int limit) {
		return this.jdbc
			.sql("SELECT id FROM phone_change WHERE state = :st AND due_at <= :now ORDER BY due_at FETCH FIRST "
					+ limit + " ROWS ONLY")
			.param("st", SCHEDULED)
			.param("now", utc(now))
			.query(String.class)
			.list();
	}

	/** The ids of notices waiting to go out by {@code now}, oldest first. */
	List<String> noticesDue(Instant now, int limit) {
		return this.jdbc
			.sql("""
					SELECT id FROM phone_change WHERE notice_state = :ns AND state = :st AND notice_next_at <= :now
					ORDER BY notice_next_at FETCH FIRST """ + " " + limit + " ROWS ONLY")
			.param("ns", NOTICE_PENDING)
			.param("st", SCHEDULED)
			.param("now", utc(now))
			.query(String.class)
			.list();
	}

	/**
	 * Ends a due scheduled change as {@code state} (applied or refused) and so claims it for this transaction:
	 * the row stays locked until commit, another node's claim then finds it no longer scheduled, and a rollback
	 * makes it scheduled again. The numbers are cleared: the row keeps ids and times only.
	 */
	boolean finish(String id, String state, Instant now, String by) {
		return this.jdbc.sql("""
				UPDATE phone_change SET state = :state, pending_user_id = NULL, finished_at = :now, finished_by = :by,
				    old_phone_sealed = NULL, new_phone_sealed = NULL
				WHERE id = :id AND state = :scheduled AND due_at <= :now""")
			.param("state", state)
			.param("now", utc(now))
			.param("by", by)
			.param("id", id)
			.param("scheduled", SCHEDULED)
			.update() == 1;
	}

	/** Cancels the account's scheduled change, if any; the numbers are cleared. */
	Optional<String> cancel(String userId, Instant now, String by) {
		Optional<String> id = this.jdbc.sql("SELECT id FROM phone_change WHERE pending_user_id = :u")
			.param("u", userId)
			.query(String.class)
			.optional();
		if (id.isEmpty()) {
			return id;
		}
		int cancelled = this.jdbc.sql("""
				UPDATE phone_change SET state = :cancelled, pending_user_id = NULL, cancelled_at = :now,
				    cancelled_by = :by, old_phone_sealed = NULL, new_phone_sealed = NULL
				WHERE id = :id AND state = :scheduled""")
			.param("cancelled", CANCELLED)
			.param("now", utc(now))
			.param("by", by)
			.param("id", id.get())
			.param("scheduled", SCHEDULED)
			.update();
		return cancelled == 1 ? id : Optional.empty();
	}

	/**
	 * Claims the change's pending notice for one attempt until {@code leaseUntil}: a node that dies while
	 * sending leaves it to be tried again after the lease (a notice may then come twice, never not at all).
	 */
	boolean claimNotice(String id, Instant now, Instant leaseUntil) {
		return this.jdbc.sql("""
				UPDATE phone_change SET notice_attempts = notice_attempts + 1, notice_next_at = :lease
				WHERE id = :id AND state = :st AND notice_state = :ns AND notice_next_at <= :now""")
			.param("lease", utc(leaseUntil))
			.param("id", id)
			.param("st", SCHEDULED)
			.param("ns", NOTICE_PENDING)
			.param("now", utc(now))
			.update() == 1;
	}

	void noticeDone(String id, String noticeState) {
		this.jdbc.sql("UPDATE phone_change SET notice_state = :ns WHERE id = :id")
			.param("ns", noticeState)
			.param("id", id)
			.update();
	}

	void noticeLater(String id, Instant at) {
		this.jdbc.sql("UPDATE phone_change SET notice_next_at = :at WHERE id = :id")
			.param("at", utc(at))
			.param("id", id)
			.update();
	}

	/** @return whether this was the first time the in-app notice was shown */
	boolean shown(String id, Instant now) {
		return this.jdbc.sql("UPDATE phone_change SET notice_shown_at = :now WHERE id = :id AND notice_shown_at IS NULL")
			.param("now", utc(now))
			.param("id", id)
			.update() == 1;
	}

	/** A change as the person's copy of their data shows it; the numbers only while it waits (still sealed). */
	record History(String id, String state, Instant requestedAt, Instant dueAt, Instant cancelledAt,
			Instant finishedAt, String noticeState, String oldPhoneSealed, String newPhoneSealed) {
	}

	/** Every change of the account, oldest first. */
	List<History> all(String userId) {
		return this.jdbc.sql("""
				SELECT id, state, requested_at, due_at, cancelled_at, finished_at, notice_state, old_phone_sealed,
				    new_phone_sealed
				FROM phone_change WHERE user_id = :u ORDER BY requested_at""")
			.param("u", userId)
			.query((rs, i) -> new History(rs.getString(1), rs.getString(2), instant(rs, 3), instant(rs, 4),
					instant(rs, 5), instant(rs, 6), rs.getString(7), rs.getString(8), rs.getString(9)))
			.list();
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	/** Forgets the account's changes and removals (the account was deleted). */
	int erase(String userId) {
		return this.jdbc.sql("DELETE FROM phone_change WHERE user_id = :u").param("u", userId).update()
				+ this.jdbc.sql("DELETE FROM phone_removal WHERE user_id = :u").param("u", userId).update();
	}

	/** Records that the account had a number removed now (the latest removal is what counts). */
	void removed(String userId, Instant now) {
		int updated = this.jdbc.sql("UPDATE phone_removal SET removed_at = :at WHERE user_id = :u")
			.param("at", utc(now))
			.param("u", userId)
			.update();
		if (updated == 0) {
			try {
				this.savepoint.executeWithoutResult(status -> this.jdbc
					.sql("INSERT INTO phone_removal (user_id, removed_at) VALUES (:u, :at)")
					.param("u", userId)
					.param("at", utc(now))
					.update());
			}
			catch (org.springframework.dao.DuplicateKeyException raced) {
				// another removal of the same account recorded it meanwhile: only the savepoint is rolled back
				// (on PostgreSQL a failed statement would otherwise abort the caller's whole transaction), and
				// the later of the two times is kept
				this.jdbc.sql("UPDATE phone_removal SET removed_at = :at WHERE user_id = :u AND removed_at < :at")
					.param("at", utc(now))
					.param("u", userId)
					.update();
			}
		}
	}

	/** Forgets the account's last removal: it was not the person's (a recycled number released by the gateway). */
	void forgetRemoval(String userId) {
		this.jdbc.sql("DELETE FROM phone_removal WHERE user_id = :u").param("u", userId).update();
	}

	/** When the account last had a number removed, if it did. */
	Optional<Instant> lastRemoval(String userId) {
		return this.jdbc.sql("SELECT removed_at FROM phone_removal WHERE user_id = :u")
			.param("u", userId)
			.query((rs, i) -> rs.getObject(1, OffsetDateTime.class).toInstant())
			.optional();
	}

	private static Row map(ResultSet rs) throws SQLException {
		return new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
				rs.getString(6), rs.getObject(7, OffsetDateTime.class).toInstant(),
				rs.getObject(8, OffsetDateTime.class).toInstant(), rs.getString(9), rs.getInt(10), rs.getString(11));
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
