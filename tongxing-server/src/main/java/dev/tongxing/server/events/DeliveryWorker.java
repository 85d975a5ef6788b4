package dev.tongxing.server.events;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.residency.ResidencyGuard;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends what the outbox holds, on every node. Each round claims due rows with a lease (see {@link Outbox}),
 * delivers them concurrently (one virtual thread each, so a slow receiver delays no other) and records the
 * outcome with its audit entry in one transaction: delivered; rejected (a 400 — sending again cannot help);
 * another try after an exponential backoff with jitter; or, past the maximum attempts or age, dead-lettered.
 * A node killed mid-delivery leaves its rows pending; their lease runs out and another node sends them again,
 * with the same jti, so receivers that de-duplicate see one event.
 */
@Component
@ConditionalOnWebApplication // operator commands run the context without a web server, and deliver nothing
class DeliveryWorker {

	private static final Logger log = LoggerFactory.getLogger(DeliveryWorker.class);

	/** This node's name on the leases it takes. */
	private final String node = UUID.randomUUID().toString();

	private final Outbox outbox;

	private final Receivers receivers;

	private final TokenSigner signer;

	private final ResidencyGuard residency;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	private final EventsProperties properties;

	private final Clock clock;

	private final PushClient push;

	private final MeterRegistry meters;

	private final AtomicLong pending = new AtomicLong();

	private final AtomicLong dead = new AtomicLong();

	DeliveryWorker(Outbox outbox, Receivers receivers, TokenSigner signer, ResidencyGuard residency, AuditLog audit,
			TransactionTemplate tx, EventsProperties properties, Clock clock, MeterRegistry meters) {
		this.outbox = outbox;
		this.receivers = receivers;
		this.signer = signer;
		this.residency = residency;
		this.audit = audit;
		this.tx = tx;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.push = new PushClient(properties.connectTimeout(), properties.requestTimeout());
		Gauge.builder("tongxing.security.events.pending", this.pending, AtomicLong::get)
			.description("Security events and logout tokens waiting for delivery")
			.register(meters);
		Gauge.builder("tongxing.security.events.dead", this.dead, AtomicLong::get)
			.description("Security events given up on (dead-lettered), kept for operators")
			.register(meters);
	}

	@Scheduled(initialDelayString = "${tongxing.events.poll-interval:2s}",
			fixedDelayString = "${tongxing.events.poll-interval:2s}")
	void scheduled() {
		try {
			deliverDue();
		}
		catch (RuntimeException ex) {
			log.warn("Security event delivery round failed; the events stay queued", ex);
		}
	}

	@Scheduled(initialDelayString = "PT10M", fixedDelayString = "PT1H")
	void purge() {
		try {
			Instant cutoff = this.clock.instant().minus(this.properties.retention());
			this.tx.executeWithoutResult(status -> {
				int rows = this.outbox.purgeFinished(cutoff);
				if (rows > 0) {
					this.audit.record(AuditEntry.of(AuditTypes.RETENTION_PURGED)
						.actor("system")
						.detail("store", "security-events")
						.detail("rows", rows)
						.detail("cutoff", AuditEntry.time(cutoff))
						.detail("retention", this.properties.retention().toString()));
				}
			});
		}
		catch (RuntimeException ex) {
			log.warn("Could not purge finished security events", ex);
		}
	}

	/** Delivers every due event (in rounds of the batch size). @return how many attempts were made */
	int deliverDue() {
		int attempts = 0;
		while (true) {
			Instant leaseUntil = this.clock.instant().plus(this.properties.lease());
			List<Outbox.Entry> batch = this.outbox.claim(this.node, leaseUntil, this.properties.batchSize());
			if (!batch.isEmpty()) {
				try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
					batch.forEach(entry -> threads.submit(() -> deliverSafely(entry)));
				}
				attempts += batch.size();
			}
			if (batch.size() < this.properties.batchSize()) {
				break;
			}
		}
		this.pending.set(this.outbox.count(Outbox.PENDING));
		this.dead.set(this.outbox.count(Outbox.DEAD));
		return attempts;
	}

	private void deliverSafely(Outbox.Entry entry) {
		try {
			deliver(entry);
		}
		catch (RuntimeException ex) {
			// e.g. the database was briefly unreachable: the lease runs out and the event is tried again
			log.warn("Delivery of security event {} failed unexpectedly", entry.id(), ex);
		}
	}

	private void deliver(Outbox.Entry entry) {
		Receivers.Receiver receiver = this.receivers.find(entry.clientId()).orElse(null);
		String endpoint = receiver == null ? null : receiver.endpoint(entry.kind());
		if (endpoint == null) {
			giveUp(entry, null, "the client no longer registers a receiver for it");
			return;
		}
		if (!this.residency.mayDeliver(entry.clientId(), receiver.region(), entry.userId())) {
			// the guard has audited the refusal
			this.outbox.finish(entry.id(), this.node, Outbox.REFUSED, null,
					"receiver region '" + receiver.region() + "' is outside the allowed regions");
			count("refused", entry);
			return;
		}
		String token = this.signer.sign(entry.kind(), entry.claims(), this.properties.logoutTokenTtl());
		PushClient.Attempt attempt = this.push.send(entry.kind(), endpoint, token, this.receivers.authorization(receiver));
		switch (attempt.outcome()) {
			case DELIVERED -> {
				this.tx.executeWithoutResult(status -> {
					if (this.outbox.finish(entry.id(), this.node, Outbox.DELIVERED, attempt.httpStatus(), null)) {
						this.audit.record(entry(AuditTypes.SECURITY_EVENT_DELIVERED, entry).detail("attempts", entry.attempts()));
					}
				});
				count(null, entry);
			}
			case REJECTED -> {
				count("rejected", entry);
				this.tx.executeWithoutResult(status -> {
					if (this.outbox.finish(entry.id(), this.node, Outbox.REJECTED, attempt.httpStatus(), attempt.error())) {
						this.audit.record(entry(AuditTypes.SECURITY_EVENT_REJECTED, entry).detail("error", attempt.error()));
					}
				});
				log.warn("Client {} rejected security event {} ({}): {}", entry.clientId(), entry.id(),
						EventTypes.shortName(entry.eventType()), attempt.error());
			}
			case RETRY -> retryOrGiveUp(entry, attempt);
		}
	}

	private void retryOrGiveUp(Outbox.Entry entry, PushClient.Attempt attempt) {
		Instant now = this.clock.instant();
		String error = attempt.error();
		if (entry.attempts() >= this.properties.maxAttempts()
				|| !now.isBefore(entry.queuedAt().plus(this.properties.maxAge()))) {
			giveUp(entry, attempt.httpStatus(), error);
			return;
		}
		this.outbox.retryAt(entry.id(), this.node, now.plus(backoff(entry.attempts())), attempt.httpStatus(), error);
		count("retry", entry);
	}

	private void giveUp(Outbox.Entry entry, Integer httpStatus, String error) {
		this.tx.executeWithoutResult(status -> {
			if (this.outbox.finish(entry.id(), this.node, Outbox.DEAD, httpStatus, error)) {
				this.audit.record(entry(AuditTypes.SECURITY_EVENT_DEAD, entry).detail("error", error));
			}
		});
		count("dead", entry);
		log.warn("Gave up on security event {} ({}) to client {} after {} attempts: {}", entry.id(),
				EventTypes.shortName(entry.eventType()), entry.clientId(), entry.attempts(), error);
	}

	/** Exponential backoff with "equal jitter": half the delay fixed, half random, so nodes do not retry in step. */
	Duration backoff(int attempts) {
		long initial = this.properties.initialBackoff().toMillis();
		long max = this.properties.maxBackoff().toMillis();
		long delay = initial << Math.min(attempts - 1, 30);
		delay = delay <= 0 || delay > max ? max : delay;
		return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
	}

	private static AuditEntry entry(String type, Outbox.Entry entry) {
		return AuditEntry.of(type)
			.actor("system")
			.subject(entry.userId())
			.client(entry.clientId())
			.detail("event", EventTypes.shortName(entry.eventType()))
			.detail("jti", entry.id())
			.detail("txn", entry.txn());
	}

	/** @param failure null for a delivery, else retry, rejected, dead or refused */
	private void count(String failure, Outbox.Entry entry) {
		String event = EventTypes.shortName(entry.eventType());
		if (failure == null) {
			Counter.builder("tongxing.security.events.delivered")
				.description("Security events and logout tokens accepted by their receivers")
				.tag("event", event)
				.register(this.meters)
				.increment();
		}
		else {
			Counter.builder("tongxing.security.events.failed")
				.description("Failed deliveries of security events and logout tokens, by what happened next")
				.tag("event", event)
				.tag("outcome", failure)
				.register(this.meters)
				.increment();
		}
	}

}
