package dev.tongxing.server.complaint;

import java.time.Instant;
import java.util.List;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The escalation of each ticket at each level, once: claiming is an insert under the (ticket, level) primary
 * key, and retrying is a conditional update, so however many nodes run the check only one sends.
 */
@Component
class Escalations {

	static final String NEAR = "near";

	static final String BREACHED = "breached";

	private final JdbcClient jdbc;

	Escalations(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * @param state {@code sending} (the caller is to send it now), {@code sent}, {@code failed}, {@code refused},
	 * {@code logged} (no webhook), {@code skipped} (a later level came first) or {@code answered-late}
	 * @param attempts calls made so far
	 */
	record Escalation(long ticketId, String level, String state, int attempts, Instant claimedAt, Instant nextAttemptAt,
			Instant sentAt, String lastError) {
	}

	/** @return whether this call claimed the level (false: it was claimed before, by any node) */
	boolean claim(long ticketId, String level, String state, Instant now) {
		try {
			this.jdbc.sql("""
					INSERT INTO complaint_escalation (ticket_id, level, state, attempts, claimed_at)
					VALUES (:ticket, :level, :state, 0, :now)""")
				.param("ticket", ticketId)
				.param("level", level)
				.param("state", state)
				.param("now", Tickets.ts(now))
				.update();
			return true;
		}
		catch (DuplicateKeyException claimedBefore) {
			return false;
		}
	}

	/**
	 * Claims a failed escalation whose retry is due, or one left {@code sending} by a node that stopped before
	 * {@code staleBefore}.
	 */
	boolean reclaim(Escalation e, Instant now) {
		return this.jdbc.sql("""
				UPDATE complaint_escalation SET state = 'sending', claimed_at = :now
				WHERE ticket_id = :ticket AND level = :level AND state = :state AND attempts = :attempts
				  AND claimed_at = :claimed""")
			.param("now", Tickets.ts(now))
			.param("ticket", e.ticketId())
			.param("level", e.level())
			.param("state", e.state())
			.param("attempts", e.attempts())
			.param("claimed", Tickets.ts(e.claimedAt()))
			.update() == 1;
	}

	/** Escalations to try again: failed ones whose retry is due, and claims abandoned by a stopped node. */
	List<Escalation> retryable(Instant now, Instant staleBefore) {
		return this.jdbc.sql("""
				SELECT * FROM complaint_escalation
				WHERE (state = 'failed' AND next_attempt_at IS NOT NULL AND next_attempt_at <= :now)
				   OR (state = 'sending' AND claimed_at < :stale)""")
			.param("now", Tickets.ts(now))
			.param("stale", Tickets.ts(staleBefore))
			.query((rs, i) -> escalation(rs))
			.list();
	}

	void finish(long ticketId, String level, String state, int attempts, Instant sentAt, Instant nextAttemptAt,
			String error) {
		this.jdbc.sql("""
				UPDATE complaint_escalation SET state = :state, attempts = :attempts, sent_at = :sent,
				    next_attempt_at = :next, last_error = :error
				WHERE ticket_id = :ticket AND level = :level""")
			.param("state", state)
			.param("attempts", attempts)
			.param("sent", Tickets.ts(sentAt))
			.param("next", Tickets.ts(nextAttemptAt))
			.param("error", error == null || error.length() <= 300 ? error : error.substring(0, 300))
			.param("ticket", ticketId)
			.param("level", level)
			.update();
	}

	List<Escalation> of(long ticketId) {
		return this.jdbc.sql("SELECT * FROM complaint_escalation WHERE ticket_id = :ticket ORDER BY claimed_at")
			.param("ticket", ticketId)
			.query((rs, i) -> escalation(rs))
			.list();
	}

	private static Escalation escalation(java.sql.ResultSet rs) throws java.sql.SQLException {
		return new Escalation(rs.getLong("ticket_id"), rs.getString("level"), rs.getString("state"), rs.getInt("attempts"),
				Tickets.instant(rs, "claimed_at"), Tickets.instant(rs, "next_attempt_at"), Tickets.instant(rs, "sent_at"),
				rs.getString("last_error"));
	}

}
