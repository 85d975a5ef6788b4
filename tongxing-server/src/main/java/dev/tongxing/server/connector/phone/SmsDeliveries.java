package dev.tongxing.server.connector.phone;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The sends whose delivery receipts are awaited, and the receipts, in {@code sms_delivery}: a provider and its id of
 * the message, never the number. Shared by every node, so a receipt reaching any node matches a send made by any
 * other, and every node judges a provider on the same rows.
 */
@Component
class SmsDeliveries {

	private static final Logger log = LoggerFactory.getLogger(SmsDeliveries.class);

	/** One report of a receipt push, as the provider names the message. */
	record Receipt(String messageId, boolean delivered, String code) {
	}

	/** What became of a push's reports. */
	record Matched(int delivered, int failed, int duplicate, int unmatched) {
	}

	/** A provider's sends in a window: all, those due (older than the receipt wait), and how the due ones went. */
	record Counts(long sends, long due, long delivered, long failed, long awaiting) {

		/** Due sends without a "delivered" receipt: failed, or still silent. */
		long undelivered() {
			return this.due - this.delivered;
		}
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final MeterRegistry meters;

	private final AuditLog audit;

	private final SmsDeliveryProperties properties;

	/** Our rows on their own: a send's record must not vanish with a caller's rolled-back transaction. */
	private final TransactionTemplate own;

	/** The purge's: no 5-second limit, which is the receipts' and would roll back a large first purge every hour. */
	private final TransactionTemplate purging;

	SmsDeliveries(JdbcClient jdbc, Clock clock, MeterRegistry meters, AuditLog audit, SmsDeliveryProperties properties,
			PlatformTransactionManager transactions) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.meters = meters;
		this.audit = audit;
		this.properties = properties;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
		// a provider waits a few seconds for our answer; a stuck database is a retry, not a hung push
		this.own.setTimeout(5);
		this.purging = new TransactionTemplate(transactions);
		this.purging.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** A provider accepted a message; its receipt is now awaited. Never fails: the message is on its way. */
	void sent(String provider, String messageId) {
		try {
			this.own.executeWithoutResult(tx -> this.jdbc
				.sql("INSERT INTO sms_delivery (provider, message_id, sent_at) VALUES (:provider, :id, :at)")
				.param("provider", provider)
				.param("id", truncate(messageId, 100))
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.update());
		}
		catch (DuplicateKeyException ex) {
			log.warn("SMS provider {} gave a message id it gave before; its receipts may be matched wrongly", provider);
		}
		catch (RuntimeException ex) {
			log.warn("Could not record an SMS send for its delivery receipt ({}): {}", provider, ex.toString());
		}
	}

	/**
	 * Matches a push's reports to their sends, in one transaction (a crash records none, and the provider pushes
	 * again). A report for a send that already has its outcome changes nothing: the providers may push twice.
	 */
	Matched receive(String provider, List<Receipt> receipts) {
		Instant now = this.clock.instant();
		int[] counts = new int[4];
		this.own.executeWithoutResult(tx -> {
			for (Receipt receipt : receipts) {
				int updated = this.jdbc.sql("""
						UPDATE sms_delivery SET outcome = :outcome, receipt_code = :code, receipt_at = :at
						WHERE provider = :provider AND message_id = :id AND outcome IS NULL""")
					.param("outcome", receipt.delivered() ? "delivered" : "failed")
					.param("code", truncate(receipt.code(), 64))
					.param("at", now.atOffset(ZoneOffset.UTC))
					.param("provider", provider)
					.param("id", truncate(receipt.messageId(), 100))
					.update();
				if (updated > 0) {
					counts[receipt.delivered() ? 0 : 1]++;
				}
				else if (known(provider, receipt.messageId())) {
					counts[2]++;
				}
				else {
					counts[3]++; // older than the retention, sent before receipts were on, or not ours
				}
			}
		});
		// counted once committed, so a retried push is not counted twice
		delivery(provider, "delivered").increment(counts[0]);
		delivery(provider, "failed").increment(counts[1]);
		return new Matched(counts[0], counts[1], counts[2], counts[3]);
	}

	private boolean known(String provider, String messageId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM sms_delivery WHERE provider = :provider AND message_id = :id")
			.param("provider", provider)
			.param("id", truncate(messageId, 100))
			.query(Long.class)
			.single() > 0;
	}

	Counter delivery(String provider, String outcome) {
		return Counter.builder("tongxing.sms.delivery")
			.description("Delivery receipts matched to a send, by provider and outcome (delivered, failed)")
			.tag("provider", provider)
			.tag("outcome", outcome)
			.register(this.meters);
	}

	/** Every provider's sends since {@code from}, the due ones being those sent at or before {@code due}. */
	Map<String, Counts> counts(Instant from, Instant due) {
		Map<String, Counts> counts = new HashMap<>();
		this.jdbc.sql("""
				SELECT provider, COUNT(*) AS sends,
				  SUM(CASE WHEN sent_at <= :due THEN 1 ELSE 0 END) AS due,
				  SUM(CASE WHEN sent_at <= :due AND outcome = 'delivered' THEN 1 ELSE 0 END) AS delivered,
				  SUM(CASE WHEN sent_at <= :due AND outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
				  SUM(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END) AS awaiting
				FROM sms_delivery WHERE sent_at >= :from GROUP BY provider""")
			.param("from", from.atOffset(ZoneOffset.UTC))
			.param("due", due.atOffset(ZoneOffset.UTC))
			.query((rs, i) -> Map.entry(rs.getString("provider"), new Counts(rs.getLong("sends"), rs.getLong("due"),
					rs.getLong("delivered"), rs.getLong("failed"), rs.getLong("awaiting"))))
			.list()
			.forEach(e -> counts.put(e.getKey(), e.getValue()));
		return counts;
	}

	/** Deletes rows past the retention, and says so in the audit log in the same transaction. Any node may run it. */
	@Scheduled(initialDelayString = "PT5M", fixedDelayString = "PT1H")
	void purge() {
		Instant cutoff = this.clock.instant().minus(this.properties.retention());
		this.purging.executeWithoutResult(tx -> {
			int rows = this.jdbc.sql("DELETE FROM sms_delivery WHERE sent_at < :t")
				.param("t", cutoff.atOffset(ZoneOffset.UTC))
				.update();
			if (rows > 0) {
				this.audit.record(AuditEntry.of(AuditTypes.RETENTION_PURGED)
					.actor("system")
					.detail("store", "sms-deliveries")
					.detail("rows", rows)
					.detail("cutoff", AuditEntry.time(cutoff))
					.detail("retention", this.properties.retention().toString()));
			}
		});
	}

	private static String truncate(String value, int max) {
		return value == null || value.length() <= max ? value : value.substring(0, max);
	}

}
