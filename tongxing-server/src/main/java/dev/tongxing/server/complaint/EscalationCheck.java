package dev.tongxing.server.complaint;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.residency.ResidencyGuard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Escalates unanswered tickets: once when the first-response deadline is near
 * ({@code tongxing.complaints.escalate-before}), once when it has passed. Every node runs the check;
 * {@link Escalations} lets exactly one of them send each level. A failed delivery is tried again at later
 * checks, up to {@code tongxing.complaints.escalation.attempts} calls.
 */
@Component
class EscalationCheck {

	private static final Logger log = LoggerFactory.getLogger(EscalationCheck.class);

	/** A claim older than this whose node never finished it (the node stopped) is taken over. */
	static final Duration ABANDONED = Duration.ofMinutes(5);

	private final Tickets tickets;

	private final Escalations escalations;

	private final EscalationWebhook webhook;

	private final ResidencyGuard residency;

	private final AuditLog audit;

	private final ComplaintMetrics metrics;

	private final ComplaintProperties properties;

	private final Clock clock;

	private final String issuer;

	EscalationCheck(Tickets tickets, Escalations escalations, EscalationWebhook webhook, ResidencyGuard residency,
			AuditLog audit, ComplaintMetrics metrics, ComplaintProperties properties, Clock clock,
			@Value("${tongxing.issuer}") String issuer) {
		this.tickets = tickets;
		this.escalations = escalations;
		this.webhook = webhook;
		this.residency = residency;
		this.audit = audit;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
		this.issuer = issuer;
	}

	@Scheduled(initialDelayString = "${tongxing.complaints.check-interval:PT1M}",
			fixedDelayString = "${tongxing.complaints.check-interval:PT1M}")
	void scheduledCheck() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			log.warn("Complaint escalation check failed: {}", ex.toString());
		}
	}

	void check() {
		Instant now = this.clock.instant();
		for (Ticket ticket : this.tickets.awaitingFirstResponseDueBy(now.plus(this.properties.escalateBefore()))) {
			if (!now.isBefore(ticket.firstResponseDue())) {
				if (this.escalations.claim(ticket.id(), Escalations.BREACHED, "sending", now)) {
					this.metrics.slaBreached();
					// a ticket found already past its deadline is not also announced as "near"
					this.escalations.claim(ticket.id(), Escalations.NEAR, "skipped", now);
					deliver(ticket, Escalations.BREACHED, 0, now);
				}
			}
			else if (this.escalations.claim(ticket.id(), Escalations.NEAR, "sending", now)) {
				deliver(ticket, Escalations.NEAR, 0, now);
			}
		}
		for (Escalations.Escalation retry : this.escalations.retryable(now, now.minus(ABANDONED))) {
			Ticket ticket = this.tickets.find(id(retry)).orElse(null);
			if (ticket == null || !this.escalations.reclaim(retry, now)) {
				continue;
			}
			if (!ticket.waitingForFirstResponse()) {
				this.escalations.finish(retry.ticketId(), retry.level(), "cancelled", retry.attempts(), null, null,
						"answered or closed before it could be delivered");
				continue;
			}
			deliver(ticket, retry.level(), retry.attempts(), now);
		}
	}

	private String id(Escalations.Escalation escalation) {
		return this.tickets.numberOf(escalation.ticketId());
	}

	private void deliver(Ticket ticket, String level, int attemptsBefore, Instant now) {
		int attempt = attemptsBefore + 1;
		if (!this.webhook.configured()) {
			log.warn("Complaint ticket {} ({}): first response due {} — {} (no escalation webhook configured)",
					ticket.number(), ticket.method(), ticket.firstResponseDue(), level);
			this.escalations.finish(ticket.id(), level, "logged", attemptsBefore, null, null, null);
			done(ticket, level, "logged");
			return;
		}
		if (!this.residency.mayDeliver(this.webhook.url().toString(), this.webhook.region(), null)) {
			this.escalations.finish(ticket.id(), level, "refused", attemptsBefore, null, null,
					"receiver region '" + this.webhook.region() + "' is not allowed");
			done(ticket, level, "refused");
			return;
		}
		try {
			this.webhook.post(body(ticket, level, now));
			this.escalations.finish(ticket.id(), level, "sent", attempt, now, null, null);
			done(ticket, level, "sent");
			log.info("Complaint ticket {} escalated ({})", ticket.number(), level);
		}
		catch (EscalationWebhook.EscalationFailed ex) {
			this.metrics.escalation(level, "failed");
			boolean givingUp = attempt >= this.properties.escalation().attempts();
			Instant next = givingUp ? null : now.plus(backoff(attempt));
			this.escalations.finish(ticket.id(), level, "failed", attempt, null, next, ex.getMessage());
			if (givingUp) {
				log.error("Complaint ticket {}: escalation ({}) failed {} times, giving up: {}", ticket.number(), level,
						attempt, ex.getMessage());
				record(ticket, level, "failed");
			}
			else {
				log.warn("Complaint ticket {}: escalation ({}) failed, retrying after {}: {}", ticket.number(), level,
						next, ex.getMessage());
			}
		}
	}

	private void done(Ticket ticket, String level, String outcome) {
		this.metrics.escalation(level, outcome);
		record(ticket, level, outcome);
	}

	private void record(Ticket ticket, String level, String outcome) {
		this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_ESCALATED)
			.actor("system")
			.detail("ticket", ticket.number())
			.detail("level", level)
			.detail("outcome", outcome));
	}

	/** 30 s, 1 min, 2 min, … at most 10 min; checks pick retries up, so never sooner than the next check. */
	static Duration backoff(int attempt) {
		long seconds = 30L << Math.min(attempt - 1, 10);
		return Duration.ofSeconds(Math.min(seconds, 600));
	}

	private Map<String, Object> body(Ticket ticket, String level, Instant now) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("type", "complaint.escalation");
		body.put("level", level);
		body.put("ticket", ticket.number());
		body.put("method", ticket.method());
		body.put("state", ticket.state().column());
		body.put("openedAt", ticket.createdAt().toString());
		body.put("firstResponseDue", ticket.firstResponseDue().toString());
		body.put("secondsLeft", ticket.timeLeft(now).toSeconds());
		body.put("failedLogins", ticket.failureCount());
		body.put("queue", this.issuer + "/admin/complaints/" + ticket.number());
		return body;
	}

}
