package dev.tongxing.server.complaint;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** The ticket tables. Sealed columns go in and come out sealed: {@link ComplaintDesk} seals and opens. */
@Component
class Tickets {

	private static final String COLUMNS = """
			t.id, t.number, t.contact_kind, t.method, t.state, t.created_at, t.first_response_due,
			t.first_response_at, t.closed_at, t.happened_at, t.locale,
			(SELECT COUNT(*) FROM complaint_ticket_failure f WHERE f.ticket_id = t.id) AS failure_count""";

	private final JdbcClient jdbc;

	Tickets(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** The sealed parts of a ticket, and the digest of its follow link's secret. */
	record Sealed(String accessDigest, String contact, String description) {
	}

	record StoredMessage(Instant at, String author, String operatorName, String sealedBody) {
	}

	record NewTicket(String number, String accessDigest, String sealedContact, String contactHash, String contactKind,
			String addressHash, String method, String sealedDescription, Instant happenedAt, String locale,
			Instant createdAt, Instant firstResponseDue) {
	}

	long insert(NewTicket t) {
		this.jdbc.sql("""
				INSERT INTO complaint_ticket (number, access_digest, contact_sealed, contact_hash, contact_kind,
				    address_hash, method, description_sealed, happened_at, locale, state, created_at,
				    first_response_due, last_activity_at)
				VALUES (:number, :access, :contact, :contactHash, :kind, :address, :method, :description, :happened,
				    :locale, 'open', :created, :due, :created)""")
			.param("number", t.number())
			.param("access", t.accessDigest())
			.param("contact", t.sealedContact())
			.param("contactHash", t.contactHash())
			.param("kind", t.contactKind())
			.param("address", t.addressHash())
			.param("method", t.method())
			.param("description", t.sealedDescription())
			.param("happened", ts(t.happenedAt()))
			.param("locale", t.locale())
			.param("created", ts(t.createdAt()))
			.param("due", ts(t.firstResponseDue()))
			.update();
		return this.jdbc.sql("SELECT id FROM complaint_ticket WHERE number = :number")
			.param("number", t.number())
			.query(Long.class)
			.single();
	}

	boolean numberTaken(String number) {
		return this.jdbc.sql("SELECT COUNT(*) FROM complaint_ticket WHERE number = :n")
			.param("n", number)
			.query(Long.class)
			.single() > 0;
	}

	void attachFailure(long ticketId, LoginTrail.Failure f) {
		this.jdbc.sql("""
				INSERT INTO complaint_ticket_failure (ticket_id, occurred_at, method, app, cause, upstream_error, matched_by)
				VALUES (:ticket, :at, :method, :app, :cause, :error, :matched)""")
			.param("ticket", ticketId)
			.param("at", ts(f.at()))
			.param("method", f.method())
			.param("app", f.app())
			.param("cause", f.cause().name())
			.param("error", f.upstreamError())
			.param("matched", f.matchedBy())
			.update();
	}

	List<LoginTrail.Failure> failures(long ticketId) {
		return this.jdbc.sql("""
				SELECT occurred_at, method, app, cause, upstream_error, matched_by FROM complaint_ticket_failure
				WHERE ticket_id = :ticket ORDER BY occurred_at DESC""")
			.param("ticket", ticketId)
			.query((rs, i) -> new LoginTrail.Failure(instant(rs, "occurred_at"), rs.getString("method"),
					rs.getString("app"), dev.tongxing.server.login.LoginFailureCause.valueOf(rs.getString("cause")),
					rs.getString("upstream_error"), rs.getString("matched_by")))
			.list();
	}

	void addMessage(long ticketId, Instant at, String author, String operatorName, String sealedBody) {
		this.jdbc.sql("""
				INSERT INTO complaint_message (ticket_id, posted_at, author, operator_name, body_sealed)
				VALUES (:ticket, :at, :author, :operator, :body)""")
			.param("ticket", ticketId)
			.param("at", ts(at))
			.param("author", author)
			.param("operator", operatorName)
			.param("body", sealedBody)
			.update();
		this.jdbc.sql("UPDATE complaint_ticket SET last_activity_at = :at WHERE id = :id")
			.param("at", ts(at))
			.param("id", ticketId)
			.update();
	}

	List<StoredMessage> messages(long ticketId) {
		return this.jdbc.sql("""
				SELECT posted_at, author, operator_name, body_sealed FROM complaint_message
				WHERE ticket_id = :ticket ORDER BY posted_at, id""")
			.param("ticket", ticketId)
			.query((rs, i) -> new StoredMessage(instant(rs, "posted_at"), rs.getString("author"),
					rs.getString("operator_name"), rs.getString("body_sealed")))
			.list();
	}

	Optional<Ticket> find(String number) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM complaint_ticket t WHERE t.number = :number")
			.param("number", number)
			.query(Tickets::ticket)
			.optional();
	}

	String numberOf(long ticketId) {
		return this.jdbc.sql("SELECT number FROM complaint_ticket WHERE id = :id")
			.param("id", ticketId)
			.query(String.class)
			.optional()
			.orElse("");
	}

	/** Locks the ticket's row for the rest of the transaction: replies and closes on any node go one at a time. */
	Optional<Ticket> lock(String number) {
		return this.jdbc.sql("SELECT id FROM complaint_ticket WHERE number = :number FOR UPDATE")
			.param("number", number)
			.query(Long.class)
			.optional()
			.flatMap(id -> find(number));
	}

	Sealed sealed(long ticketId) {
		return this.jdbc.sql("""
				SELECT access_digest, contact_sealed, description_sealed FROM complaint_ticket WHERE id = :id""")
			.param("id", ticketId)
			.query((rs, i) -> new Sealed(rs.getString("access_digest"), rs.getString("contact_sealed"),
					rs.getString("description_sealed")))
			.single();
	}

	/** Tickets not closed: those awaiting their first response first, by deadline; then answered ones. */
	List<Ticket> queue(int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM complaint_ticket t WHERE t.state <> 'closed'
				ORDER BY CASE WHEN t.first_response_at IS NULL THEN 0 ELSE 1 END, t.first_response_due, t.id
				FETCH FIRST :limit ROWS ONLY""")
			.param("limit", limit)
			.query(Tickets::ticket)
			.list();
	}

	/** Closed tickets, most recently closed first. */
	List<Ticket> recentlyClosed(int limit) {
		return this.jdbc.sql("SELECT " + COLUMNS
				+ " FROM complaint_ticket t WHERE t.state = 'closed' ORDER BY t.closed_at DESC, t.id DESC"
				+ " FETCH FIRST :limit ROWS ONLY")
			.param("limit", limit)
			.query(Tickets::ticket)
			.list();
	}

	/** Unanswered tickets whose first response is due at or before {@code horizon}. */
	List<Ticket> awaitingFirstResponseDueBy(Instant horizon) {
		return this.jdbc.sql("SELECT " + COLUMNS + """
				 FROM complaint_ticket t
				WHERE t.state = 'open' AND t.first_response_at IS NULL AND t.first_response_due <= :horizon
				ORDER BY t.first_response_due""")
			.param("horizon", ts(horizon))
			.query(Tickets::ticket)
			.list();
	}

	/** @return whether this call recorded the first response (false: someone answered before) */
	boolean recordFirstResponse(long ticketId, Instant at) {
		return this.jdbc.sql("""
				UPDATE complaint_ticket SET first_response_at = :at, state = 'answered'
				WHERE id = :id AND first_response_at IS NULL AND state = 'open'""")
			.param("at", ts(at))
			.param("id", ticketId)
			.update() == 1;
	}

	boolean close(long ticketId, Instant at) {
		return this.jdbc.sql("""
				UPDATE complaint_ticket SET state = 'closed', closed_at = :at, last_activity_at = :at
				WHERE id = :id AND state <> 'closed'""")
			.param("at", ts(at))
			.param("id", ticketId)
			.update() == 1;
	}

	/** When the tickets of one contact or address ({@code column}) opened since {@code since} were opened, newest first. */
	List<Instant> createdSince(String column, String hash, Instant since) {
		return this.jdbc.sql("SELECT created_at FROM complaint_ticket WHERE " + column
				+ " = :h AND created_at >= :since ORDER BY created_at DESC")
			.param("h", hash)
			.param("since", ts(since))
			.query((rs, i) -> instant(rs, "created_at"))
			.list();
	}

	/** Unanswered tickets whose first response is due after {@code after} and by {@code by}. */
	long countAwaitingFirstResponse(Instant after, Instant by) {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM complaint_ticket
				WHERE state = 'open' AND first_response_at IS NULL AND first_response_due > :after
				AND first_response_due <= :by""")
			.param("after", ts(after))
			.param("by", ts(by))
			.query(Long.class)
			.single();
	}

	long count(TicketState state) {
		return this.jdbc.sql("SELECT COUNT(*) FROM complaint_ticket WHERE state = :s")
			.param("s", state.column())
			.query(Long.class)
			.single();
	}

	/** Numbers of the tickets opened with a contact (by its keyed hash), oldest first. */
	List<String> numbersByContact(String contactHash) {
		return this.jdbc.sql("SELECT number FROM complaint_ticket WHERE contact_hash = :h ORDER BY created_at")
			.param("h", contactHash)
			.query(String.class)
			.list();
	}

	/** Numbers of the tickets closed before {@code cutoff}, or idle since before it. */
	List<String> expired(Instant cutoff) {
		return this.jdbc.sql("""
				SELECT number FROM complaint_ticket
				WHERE (state = 'closed' AND closed_at < :cutoff) OR last_activity_at < :cutoff""")
			.param("cutoff", ts(cutoff))
			.query(String.class)
			.list();
	}

	/** Deletes a ticket with its messages, failures and escalations (cascading foreign keys). */
	boolean delete(String number) {
		return this.jdbc.sql("DELETE FROM complaint_ticket WHERE number = :n").param("n", number).update() == 1;
	}

	private static Ticket ticket(ResultSet rs, int row) throws SQLException {
		return new Ticket(rs.getLong("id"), rs.getString("number"), rs.getString("contact_kind"), rs.getString("method"),
				TicketState.of(rs.getString("state")), instant(rs, "created_at"), instant(rs, "first_response_due"),
				instant(rs, "first_response_at"), instant(rs, "closed_at"), instant(rs, "happened_at"),
				rs.getString("locale"), rs.getInt("failure_count"));
	}

	static Instant instant(ResultSet rs, String column) throws SQLException {
		OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
		return value == null ? null : value.toInstant();
	}

	static OffsetDateTime ts(Instant instant) {
		return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
	}

}
