package dev.tongxing.server.complaint;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Tickets near their first-response deadline, for other packages (the console's overview): unanswered tickets
 * whose deadline is within {@code tongxing.complaints.escalate-before} or has passed — the ones the escalation
 * check escalates and {@code tongxing_complaints_awaiting_first_response} counts. No personal data.
 */
@Component
public class ComplaintDeadlines {

	/** The most a caller gets; {@link Near#total()} says how many there are. */
	static final int LIMIT = 50;

	/**
	 * @param secondsLeft until the deadline; negative when overdue
	 */
	public record DueTicket(String number, String method, Instant firstResponseDue, long secondsLeft, boolean overdue) {
	}

	/**
	 * @param tickets overdue first, then by deadline (at most {@value #LIMIT})
	 * @param total how many there are
	 * @param escalateBefore how near counts as near
	 */
	public record Near(List<DueTicket> tickets, int total, Duration escalateBefore) {
	}

	private final Tickets tickets;

	private final ComplaintProperties properties;

	private final Clock clock;

	ComplaintDeadlines(Tickets tickets, ComplaintProperties properties, Clock clock) {
		this.tickets = tickets;
		this.properties = properties;
		this.clock = clock;
	}

	public Near nearOrPast() {
		Instant now = this.clock.instant();
		List<Ticket> due = this.tickets
			.awaitingFirstResponseDueBy(now.plus(this.properties.escalateBefore()));
		List<DueTicket> shown = due.stream()
			.limit(LIMIT)
			.map(t -> new DueTicket(t.number(), t.method(), t.firstResponseDue(), t.timeLeft(now).toSeconds(),
					t.timeLeft(now).isNegative()))
			.toList();
		return new Near(shown, due.size(), this.properties.escalateBefore());
	}

}
