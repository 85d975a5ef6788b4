package dev.tongxing.server.events;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The {@code events_outbox} table. Rows are written in the caller's transaction; a worker claims a due row
 * with a lease (a conditional update, so two nodes never both own it and a crashed node's lease runs out),
 * delivers it and records the outcome only while it still holds the lease. Events for one user and client
 * leave in the order they were queued.
 */
@Component
class Outbox {

	static final String SET = "set";

	static final String LOGOUT = "logout";

	static final String PENDING = "pending";

	static final String DELIVERED = "delivered";

	/** The receiver answered 400: the event itself is wrong for it; sending it again cannot help. */
	static final String REJECTED = "rejected";

	/** Gave up after the maximum attempts or age. */
	static final String DEAD = "dead";

	/** Refused by data residency: the receiver is outside the allowed regions. */
	static final String REFUSED = "refused";

	static final List<String> STATUSES = List.of(PENDING, DELIVERED, REJECTED, DEAD, REFUSED);

	/**
	 * One queued token: {@code id} is its jti; {@code claims} its claims as JSON; {@code queuedAt} when it was
	 * queued or an operator queued it again (its maximum age counts from then).
	 */
	record Entry(String id, String kind, String eventType, String clientId, String userId, String txn, String claims,
			String status, int attempts, Instant createdAt, Instant queuedAt, Instant nextAttemptAt, Instant lastAttemptAt,
			Integer lastHttpStatus, String lastError, Instant finishedAt) {
	}

	private static final String COLUMNS = """
			id, kind, event_type, client_id, user_id, txn, claims, status, attempts, created_at, queued_at, next_attempt_at,
			last_attempt_at, last_http_status, last_error, finished_at""";

	private final JdbcClient jdbc;

	private final Clock clock;

	Outbox(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** Queues a token in the current transaction; it is due at once. */
	void add(String jti, String kind, String eventType, String clientId, String userId, String txn, String claims) {
		OffsetDateTime now = now();
		this.jdbc.sql("""
				INSERT INTO events_outbox (id, kind, event_type, client_id, user_id, txn, claims, status, attempts,
				  created_at, queued_at, next_attempt_at)
				VALUES (:id, :kind, :type, :client, :user, :txn, :claims, :status, 0, :now, :now, :now)""")
			.param("id", jti)
			.param("kind", kind)
			.param("type", eventType)
			.param("client", clientId)
			.param("user", userId)
			.param("txn", txn)
			.param("claims", claims)
			.param("status", PENDING)
			.param("now", now)
			.update();
	}

	/**
	 * Claims up to {@code limit} due rows for {@code owner} until {@code leaseUntil}, counting an attempt on
	 * each (a delivery that kills its node still counts, so it cannot loop forever).
	 */
	List<Entry> claim(String owner, Instant leaseUntil, int limit) {
		OffsetDateTime now = now();
		// per user and client, only the oldest pending event may go: a later one never overtakes it
		List<String> candidates = this.jdbc.sql("""
				SELECT o.id FROM events_outbox o
				WHERE o.status = :pending AND o.next_attempt_at <= :now AND (o.lease_until IS NULL OR o.lease_until < :now)
				  AND NOT EXISTS (SELECT 1 FROM events_outbox earlier
				    WHERE earlier.client_id = o.client_id AND earlier.user_id = o.user_id AND earlier.kind = o.kind
				      AND earlier.status = :pending AND earlier.seq < o.seq)
				ORDER BY o.next_attempt_at, o.seq
				LIMIT :limit""")
			.param("pending", PENDING)
			.param("now", now)
			.param("limit", limit)
			.query(String.class)
			.list();
		List<Entry> claimed = new ArrayList<>();
		for (String id : candidates) {
			int won = this.jdbc.sql("""
					UPDATE events_outbox
					SET lease_owner = :owner, lease_until = :until, attempts = attempts + 1, last_attempt_at = :now
					WHERE id = :id AND status = :pending AND next_attempt_at <= :now
					  AND (lease_until IS NULL OR lease_until < :now)""")
				.param("owner", owner)
				.param("until", leaseUntil.atOffset(ZoneOffset.UTC))
				.param("now", now)
				.param("id", id)
				.param("pending", PENDING)
				.update();
			if (won == 1) {
				find(id).ifPresent(claimed::add);
			}
		}
		return claimed;
	}

	/** Records a final outcome, if {@code owner} still holds the lease. */
	boolean finish(String id, String owner, String status, Integer httpStatus, String error) {
		return this.jdbc.sql("""
				UPDATE events_outbox
				SET status = :status, last_http_status = :http, last_error = :error, finished_at = :now,
				  lease_owner = NULL, lease_until = NULL
				WHERE id = :id AND lease_owner = :owner AND status = :pending""")
			.param("status", status)
			.param("http", httpStatus)
			.param("error", truncate(error))
			.param("now", now())
			.param("id", id)
			.param("owner", owner)
			.param("pending", PENDING)
			.update() == 1;
	}

	/** Schedules another attempt, if {@code owner} still holds the lease. */
	boolean retryAt(String id, String owner, Instant next, Integer httpStatus, String error) {
		return this.jdbc.sql("""
				UPDATE events_outbox
				SET next_attempt_at = :next, last_http_status = :http, last_error = :error,
				  lease_owner = NULL, lease_until = NULL
				WHERE id = :id AND lease_owner = :owner AND status = :pending""")
			.param("next", next.atOffset(ZoneOffset.UTC))
			.param("http", httpStatus)
			.param("error", truncate(error))
			.param("id", id)
			.param("owner", owner)
			.param("pending", PENDING)
			.update() == 1;
	}

	/** An operator's retry of a finished, undelivered event: pending again, due now, attempts from zero. */
	/**
	 * Whether a later event of the same kind for the same person and client was already sent or is queued:
	 * retrying this one then would deliver it out of order (e.g. account-disabled after account-enabled).
	 */
	boolean overtaken(String id) {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM events_outbox o JOIN events_outbox later
				  ON later.client_id = o.client_id AND later.user_id = o.user_id AND later.kind = o.kind
				  AND later.seq > o.seq
				WHERE o.id = :id""")
			.param("id", id)
			.query(Long.class)
			.single() > 0;
	}

	boolean requeue(String id) {
		OffsetDateTime now = now();
		return this.jdbc.sql("""
				UPDATE events_outbox
				SET status = :pending, attempts = 0, next_attempt_at = :now, queued_at = :now, finished_at = NULL,
				  lease_owner = NULL, lease_until = NULL
				WHERE id = :id AND status IN (:rejected, :dead, :refused)""")
			.param("pending", PENDING)
			.param("now", now)
			.param("id", id)
			.param("rejected", REJECTED)
			.param("dead", DEAD)
			.param("refused", REFUSED)
			.update() == 1;
	}

	Optional<Entry> find(String id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM events_outbox WHERE id = :id")
			.param("id", id)
			.query((rs, i) -> entry(rs))
			.optional();
	}

	List<Entry> list(String status, int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM events_outbox WHERE status = :status ORDER BY created_at DESC LIMIT :limit")
			.param("status", status)
			.param("limit", limit)
			.query((rs, i) -> entry(rs))
			.list();
	}

	/** Every event still kept about the user, oldest first. */
	List<Entry> ofUser(String userId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM events_outbox WHERE user_id = :u ORDER BY seq")
			.param("u", userId)
			.query((rs, i) -> entry(rs))
			.list();
	}

	long count(String status) {
		return this.jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE status = :status")
			.param("status", status)
			.query(Long.class)
			.single();
	}

	/** Forgets finished events older than {@code before}; pending ones are kept whatever their age. */
	int purgeFinished(Instant before) {
		return this.jdbc.sql("DELETE FROM events_outbox WHERE status <> :pending AND finished_at < :before")
			.param("pending", PENDING)
			.param("before", before.atOffset(ZoneOffset.UTC))
			.update();
	}

	private static Entry entry(java.sql.ResultSet rs) throws java.sql.SQLException {
		Integer http = rs.getObject("last_http_status") == null ? null : rs.getInt("last_http_status");
		return new Entry(rs.getString("id"), rs.getString("kind"), rs.getString("event_type"), rs.getString("client_id"),
				rs.getString("user_id"), rs.getString("txn"), rs.getString("claims"), rs.getString("status"),
				rs.getInt("attempts"), instant(rs, "created_at"), instant(rs, "queued_at"), instant(rs, "next_attempt_at"),
				instant(rs, "last_attempt_at"), http, rs.getString("last_error"),
				instant(rs, "finished_at"));
	}

	private static Instant instant(java.sql.ResultSet rs, String column) throws java.sql.SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static String truncate(String error) {
		return error == null || error.length() <= 500 ? error : error.substring(0, 500);
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

}
