package dev.tongxing.server.events;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * {@code /admin/api/events}: the outbox for operators. Lists events by status (pending, delivered, rejected,
 * dead, refused) with their last error; sends a finished, undelivered one again (same jti); and sends an SSF
 * verification event to a client's receiver to check it is wired up.
 */
@RestController
@RequestMapping("/admin/api/events")
class EventsAdminController {

	private final Outbox outbox;

	private final OutboxSecurityEvents events;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	EventsAdminController(Outbox outbox, OutboxSecurityEvents events, AuditLog audit, TransactionTemplate tx) {
		this.outbox = outbox;
		this.events = events;
		this.audit = audit;
		this.tx = tx;
	}

	@GetMapping
	Map<String, Object> list(@RequestParam(defaultValue = "pending") String status,
			@RequestParam(defaultValue = "100") int limit) {
		if (!Outbox.STATUSES.contains(status)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "status must be one of " + Outbox.STATUSES);
		}
		if (limit < 1 || limit > 1000) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be 1-1000");
		}
		Map<String, Object> counts = new LinkedHashMap<>();
		Outbox.STATUSES.forEach(s -> counts.put(s, this.outbox.count(s)));
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("counts", counts);
		answer.put("events", this.outbox.list(status, limit).stream().map(EventsAdminController::view).toList());
		return answer;
	}

	@GetMapping("/{id}")
	Map<String, Object> get(@PathVariable String id) {
		return view(this.outbox.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such event")));
	}

	/** Queues a rejected, dead or refused event again, due now, with its attempts counted from zero. */
	@PostMapping("/{id}/retry")
	Map<String, Object> retry(@PathVariable String id, Principal operator) {
		Outbox.Entry entry = this.outbox.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no such event"));
		if (this.outbox.overtaken(id)) {
			throw new ResponseStatusException(HttpStatus.CONFLICT, "a later event for this person and client was "
					+ "already sent or is queued: retrying this one would deliver it out of order");
		}
		// the answer shows the event as requeued, read in the same transaction: once committed, a worker may
		// already be sending it
		Outbox.Entry requeued = this.tx.execute(status -> {
			if (!this.outbox.requeue(id)) {
				return null;
			}
			this.audit.record(AuditEntry.of(AuditTypes.ADMIN_SECURITY_EVENT_RETRIED)
				.actor("admin:" + operator.getName())
				.subject(entry.userId())
				.client(entry.clientId())
				.detail("event", EventTypes.shortName(entry.eventType()))
				.detail("jti", id)
				.detail("previous_status", entry.status()));
			return this.outbox.find(id).orElseThrow();
		});
		if (requeued == null) {
			throw new ResponseStatusException(HttpStatus.CONFLICT,
					"only rejected, dead or refused events can be retried; this one is " + entry.status());
		}
		return view(requeued);
	}

	/** Sends an SSF verification event (with the given {@code state}) to the client's events endpoint. */
	@PostMapping("/verification")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, Object> verification(@RequestParam String client, @RequestParam(required = false) String state,
			Principal operator) {
		if (state != null && !state.matches("[\\x20-\\x7E]{1,200}")) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "state must be 1-200 printable ASCII characters");
		}
		String jti = this.tx.execute(status -> {
			String queued = this.events.verification(client, state);
			if (queued != null) {
				this.audit.record(AuditEntry.of(AuditTypes.ADMIN_SECURITY_EVENT_VERIFICATION)
					.actor("admin:" + operator.getName())
					.client(client)
					.detail("jti", queued));
			}
			return queued;
		});
		if (jti == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "client '" + client + "' has no events-endpoint");
		}
		return view(this.outbox.find(jti).orElseThrow());
	}

	private static Map<String, Object> view(Outbox.Entry e) {
		Map<String, Object> view = new LinkedHashMap<>();
		view.put("jti", e.id());
		view.put("kind", e.kind());
		view.put("event", EventTypes.shortName(e.eventType()));
		view.put("event_type", e.eventType());
		view.put("client_id", e.clientId());
		view.put("subject", e.userId());
		view.put("txn", e.txn());
		view.put("status", e.status());
		view.put("attempts", e.attempts());
		view.put("created_at", e.createdAt());
		view.put("queued_at", e.queuedAt());
		view.put("next_attempt_at", Outbox.PENDING.equals(e.status()) ? e.nextAttemptAt() : null);
		view.put("last_attempt_at", e.lastAttemptAt());
		view.put("last_http_status", e.lastHttpStatus());
		view.put("last_error", e.lastError());
		view.put("finished_at", e.finishedAt());
		return view;
	}

}
