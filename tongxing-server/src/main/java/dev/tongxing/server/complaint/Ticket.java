package dev.tongxing.server.complaint;

import java.time.Duration;
import java.time.Instant;

/**
 * A ticket as the queue lists it: no personal data, nothing to open.
 *
 * @param firstResponseDue when the first response is due (opened + {@code tongxing.complaints.first-response})
 * @param firstResponseAt when an operator first replied, or null
 */
record Ticket(long id, String number, String contactKind, String method, TicketState state, Instant createdAt,
		Instant firstResponseDue, Instant firstResponseAt, Instant closedAt, Instant happenedAt, String locale,
		int failureCount) {

	boolean waitingForFirstResponse() {
		return this.firstResponseAt == null && this.state != TicketState.CLOSED;
	}

	/** Time left until the first response is due (negative: overdue), while it is still awaited. */
	Duration timeLeft(Instant now) {
		return Duration.between(now, this.firstResponseDue);
	}

	/** How long the first response took, once given. */
	Duration firstResponseTime() {
		return this.firstResponseAt == null ? null : Duration.between(this.createdAt, this.firstResponseAt);
	}

	boolean answeredLate() {
		return this.firstResponseAt != null && this.firstResponseAt.isAfter(this.firstResponseDue);
	}

}
