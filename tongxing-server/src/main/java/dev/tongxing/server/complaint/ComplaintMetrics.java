package dev.tongxing.server.complaint;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The desk's numbers at {@code /actuator/prometheus}:
 * {@code tongxing_complaints_opened_total{method}},
 * {@code tongxing_complaints_first_response_seconds{within_sla}} (histogram),
 * {@code tongxing_complaints_open{state}} (tickets not closed, from the database, so the same on every node),
 * {@code tongxing_complaints_awaiting_first_response{deadline="near"|"passed"}} (unanswered tickets whose deadline
 * is within {@code escalate-before} / past, from the database too),
 * {@code tongxing_complaints_sla_breaches_total} and {@code tongxing_complaints_escalations_total{level,outcome}}.
 */
@Component
class ComplaintMetrics {

	private static final Logger log = LoggerFactory.getLogger(ComplaintMetrics.class);

	private final MeterRegistry registry;

	private final Duration sla;

	ComplaintMetrics(MeterRegistry registry, Tickets tickets, ComplaintProperties properties, Clock clock) {
		this.registry = registry;
		this.sla = properties.firstResponse();
		Duration near = properties.escalateBefore();
		Gauge.builder("tongxing.complaints.awaiting.first.response", () -> awaiting(() -> {
			Instant now = clock.instant();
			return tickets.countAwaitingFirstResponse(now, now.plus(near));
		}))
			.description("Unanswered complaint tickets whose first-response deadline is near (within escalate-before)")
			.tag("deadline", "near")
			.register(registry);
		Gauge.builder("tongxing.complaints.awaiting.first.response",
				() -> awaiting(() -> tickets.countAwaitingFirstResponse(Instant.EPOCH, clock.instant())))
			.description("Unanswered complaint tickets whose first-response deadline has passed")
			.tag("deadline", "passed")
			.register(registry);
		for (TicketState state : new TicketState[] { TicketState.OPEN, TicketState.ANSWERED }) {
			Gauge.builder("tongxing.complaints.open", () -> count(tickets, state))
				.description("Complaint tickets not closed: open (awaiting the first response) or answered")
				.tag("state", state.column())
				.register(registry);
		}
	}

	void opened(String method) {
		Counter.builder("tongxing.complaints.opened")
			.description("Complaint tickets opened, by the login method they are about")
			.tag("method", method)
			.register(this.registry)
			.increment();
	}

	void firstResponse(Duration took, boolean withinSla) {
		Timer.builder("tongxing.complaints.first.response")
			.description("Time from a complaint ticket's opening to an operator's first reply")
			.tag("within_sla", Boolean.toString(withinSla))
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofSeconds(10))
			.maximumExpectedValue(this.sla.multipliedBy(12))
			.serviceLevelObjectives(this.sla)
			.register(this.registry)
			.record(took);
	}

	void slaBreached() {
		Counter.builder("tongxing.complaints.sla.breaches")
			.description("Complaint tickets whose first response came late or not at all by the deadline")
			.register(this.registry)
			.increment();
	}

	/** @param outcome {@code sent}, {@code failed} (one failed call), {@code refused} (residency), {@code logged} (no webhook) */
	void escalation(String level, String outcome) {
		Counter.builder("tongxing.complaints.escalations")
			.description("Escalations of complaint tickets near or past their first-response deadline")
			.tag("level", level.toLowerCase(Locale.ROOT))
			.tag("outcome", outcome)
			.register(this.registry)
			.increment();
	}

	private static double count(Tickets tickets, TicketState state) {
		return awaiting(() -> tickets.count(state));
	}

	private static double awaiting(LongSupplier count) {
		try {
			return count.getAsLong();
		}
		catch (RuntimeException ex) { // a scrape must not fail because the database is away
			log.debug("Could not count complaint tickets: {}", ex.toString());
			return Double.NaN;
		}
	}

}
