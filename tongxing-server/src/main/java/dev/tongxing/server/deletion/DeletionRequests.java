package dev.tongxing.server.deletion;

import dev.tongxing.server.events.SecurityEvents;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The {@code deletion_request} table. Every write joins the caller's transaction. */
@Component
class DeletionRequests {

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String COLUMNS = "id, user_id, state, requested_at, due_at, deadline_at, cancelled_at, completed_at";

	private final JdbcClient jdbc;

	DeletionRequests(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @throws org.springframework.dao.DuplicateKeyException when the person already has a pending request
	 */
	DeletionRequest insert(String userId, DeletionSchedule.Dates dates, SecurityEvents.Initiator initiator) {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		String id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		this.jdbc.sql("""
				INSERT INTO deletion_request (id, user_id, pending_user_id, state, requested_at, due_at, deadline_at,
				    initiated_by, notice_status)
				VALUES (:id, :u, :u, :st, :at, :due, :deadline, :by, :notice)""")
			.param("id", id)
			.param("u", userId)
			.param("st", DeletionRequest.PENDING)
			.param("at", utc(dates.requestedAt()))
			.param("due", utc(dates.dueAt()))
			.param("deadline", utc(dates.deadline()))
			.param("by", initiator.code())
			// the person who asked needs no notice of it; anyone else's request is announced to them first
			.param("notice", initiator == SecurityEvents.Initiator.USER ? null : DeletionNotices.PENDING)
			.update();
		return new DeletionRequest(id, userId, DeletionRequest.PENDING, dates.requestedAt(), dates.dueAt(),
				dates.deadline(), null, null);
	}

	/** A notice still to send: the request, whose it is, when it falls due, who started it. */
	record NoticeDue(String id, String userId, java.time.Instant dueAt, String initiatedBy) {
	}

	List<NoticeDue> noticesDue(int limit) {
		return this.jdbc.sql("""
				SELECT id, user_id, due_at, initiated_by FROM deletion_request
				WHERE notice_status = :pending AND state = :state ORDER BY requested_at FETCH FIRST :limit ROWS ONLY""")
			.param("pending", DeletionNotices.PENDING)
			.param("state", DeletionRequest.PENDING)
			.param("limit", limit)
			.query((rs, i) -> new NoticeDue(rs.getString(1), rs.getString(2),
					rs.getObject(3, java.time.OffsetDateTime.class).toInstant(), rs.getString(4)))
			.list();
	}

	/** Moves a notice from {@code from} to {@code to}; false when another node got there first. */
	boolean moveNotice(String id, String from, String to, java.time.Instant at) {
		return this.jdbc.sql("""
				UPDATE deletion_request SET notice_status = :to, notice_at = :at WHERE id = :id AND notice_status = :from""")
			.param("to", to)
			.param("at", utc(at))
			.param("id", id)
			.param("from", from)
			.update() == 1;
	}

	Optional<DeletionRequest> pending(String userId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM deletion_request WHERE pending_user_id = :u")
			.param("u", userId)
			.query((rs, i) -> map(rs))
			.optional();
	}

	Optional<DeletionRequest> find(String id) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM deletion_request WHERE id = :id")
			.param("id", id)
			.query((rs, i) -> map(rs))
			.optional();
	}

	/** Who started the request, or null when it was made before that was stored. */
	SecurityEvents.Initiator initiator(String id) {
		return SecurityEvents.Initiator.of(this.jdbc.sql("SELECT initiated_by FROM deletion_request WHERE id = :id")
			.param("id", id)
			.query(String.class)
			.optional()
			.orElse(null));
	}

	List<DeletionRequest> all(String userId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM deletion_request WHERE user_id = :u ORDER BY requested_at")
			.param("u", userId)
			.query((rs, i) -> map(rs))
			.list();
	}

	/** The ids of pending requests due by {@code now}, oldest first. */
	List<String> due(Instant now, int limit) {
		return this.jdbc.sql("""
				SELECT id FROM deletion_request WHERE state = :st AND due_at <= :now ORDER BY due_at LIMIT """ + " " + limit)
			.param("st", DeletionRequest.PENDING)
			.param("now", utc(now))
			.query(String.class)
			.list();
	}

	/**
	 * Marks a due pending request completed and so claims it for this transaction: the row stays locked until
	 * commit, and another node's claim then finds it no longer pending. A rollback makes it pending again.
	 * @return whether this transaction got it
	 */
	boolean claimForCompletion(String id, Instant now, String node) {
		return this.jdbc.sql("""
				UPDATE deletion_request SET state = :done, pending_user_id = NULL, completed_at = :now, completed_by = :node
				WHERE id = :id AND state = :pending AND due_at <= :now""")
			.param("done", DeletionRequest.COMPLETED)
			.param("now", utc(now))
			.param("node", node)
			.param("id", id)
			.param("pending", DeletionRequest.PENDING)
			.update() == 1;
	}

	/** @return whether a pending request was cancelled */
	boolean cancel(String id, Instant now) {
		return this.jdbc.sql("""
				UPDATE deletion_request SET state = :cancelled, pending_user_id = NULL, cancelled_at = :now
				WHERE id = :id AND state = :pending""")
			.param("cancelled", DeletionRequest.CANCELLED)
			.param("now", utc(now))
			.param("id", id)
			.param("pending", DeletionRequest.PENDING)
			.update() == 1;
	}

	private static DeletionRequest map(ResultSet rs) throws SQLException {
		return new DeletionRequest(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5),
				instant(rs, 6), instant(rs, 7), instant(rs, 8));
	}

	private static Instant instant(ResultSet rs, int column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
