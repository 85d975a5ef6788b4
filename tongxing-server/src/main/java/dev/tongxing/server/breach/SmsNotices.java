package dev.tongxing.server.breach;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends the queued SMS notices, a batch at a time on every node. At most once per person: a message is claimed
 * ({@code queued}), its intent recorded ({@code sending}) before the provider is asked, and its outcome after.
 * A node that stops between the two leaves {@code sending}, which becomes {@code uncertain} and is never sent
 * again by itself (the in-app notice still reaches the person); a claim never tried goes back to the queue.
 */
@Component
class SmsNotices {

	private static final Logger log = LoggerFactory.getLogger(SmsNotices.class);

	/** Stands in when the gateway has no SMS provider: every SMS notice is known not sent. */
	static final NoticeSms NONE = (phone, text) -> new NoticeSms.Refused("no SMS provider configured");

	private final JdbcClient jdbc;

	private final Breaches breaches;

	private final NoticeTexts texts;

	private final AccountService accounts;

	private final NoticeSms sms;

	private final AuditLog audit;

	private final BreachProperties properties;

	private final Clock clock;

	@org.springframework.beans.factory.annotation.Autowired
	SmsNotices(JdbcClient jdbc, Breaches breaches, NoticeTexts texts, AccountService accounts,
			ObjectProvider<NoticeSms> sms, AuditLog audit, BreachProperties properties, Clock clock) {
		this(jdbc, breaches, texts, accounts, sms.getIfAvailable(() -> NONE), audit, properties, clock);
	}

	SmsNotices(JdbcClient jdbc, Breaches breaches, NoticeTexts texts, AccountService accounts, NoticeSms sms,
			AuditLog audit, BreachProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.breaches = breaches;
		this.texts = texts;
		this.accounts = accounts;
		this.sms = sms;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${tongxing.breach.sms.interval:PT10S}",
			fixedDelayString = "${tongxing.breach.sms.interval:PT10S}")
	void scheduled() {
		try {
			recover();
			send();
		}
		catch (RuntimeException ex) {
			log.warn("Sending incident notices failed: {}", ex.toString());
		}
	}

	/** What one batch did. */
	record Batch(int sent, int failed, int uncertain, int noPhone, int givenBack) {
	}

	/**
	 * Claims now stale: a message claimed and never tried goes back to the queue; one whose sending began and
	 * never ended becomes {@code uncertain}.
	 */
	int recover() {
		Instant stale = this.clock.instant().minus(this.properties.sms().staleAfter());
		this.jdbc.sql("""
				UPDATE breach_person SET sms_status = 'pending', sms_claim = NULL, sms_claimed_at = NULL
				WHERE sms_status = 'queued' AND sms_claimed_at < :stale""")
			.param("stale", Breaches.utc(stale))
			.update();
		List<String[]> interrupted = this.jdbc.sql("""
				SELECT breach_id, account_id FROM breach_person WHERE sms_status = 'sending' AND sms_attempted_at < :stale""")
			.param("stale", Breaches.utc(stale))
			.query((rs, i) -> new String[] { rs.getString(1), rs.getString(2) })
			.list();
		int marked = 0;
		for (String[] row : interrupted) {
			marked += finish(row[0], row[1], null, "sending", "uncertain",
					"interrupted while sending: perhaps delivered, not sent again");
		}
		return marked;
	}

	/** Sends one batch of queued notices (at most {@code tongxing.breach.sms.batch-size}). */
	Batch send() {
		String claim = UUID.randomUUID().toString();
		Instant now = this.clock.instant();
		Optional<String> breachId = this.jdbc.sql("""
				SELECT breach_id FROM breach_person WHERE sms_status = 'pending' ORDER BY breach_id FETCH FIRST 1 ROWS ONLY""")
			.query(String.class)
			.optional();
		if (breachId.isEmpty()) {
			return new Batch(0, 0, 0, 0, 0);
		}
		this.jdbc.sql("""
				UPDATE breach_person SET sms_status = 'queued', sms_claim = :claim, sms_claimed_at = :now
				WHERE breach_id = :b AND sms_status = 'pending' AND account_id IN (SELECT account_id FROM breach_person
				WHERE breach_id = :b AND sms_status = 'pending' ORDER BY account_id FETCH FIRST :n ROWS ONLY)""")
			.param("claim", claim)
			.param("now", Breaches.utc(now))
			.param("b", breachId.get())
			.param("n", this.properties.sms().batchSize())
			.update();
		List<String> claimed = this.jdbc.sql("""
				SELECT account_id FROM breach_person WHERE sms_claim = :claim AND sms_status = 'queued' ORDER BY account_id""")
			.param("claim", claim)
			.query(String.class)
			.list();
		Map<String, String> textOf = new HashMap<>();
		int sent = 0, failed = 0, uncertain = 0, noPhone = 0;
		for (String account : claimed) {
			Breach breach = this.breaches.find(breachId.get()).orElseThrow();
			Optional<String> phone = phone(account);
			if (phone.isEmpty()) {
				noPhone += finish(breach.id(), account, claim, "queued", "no-phone", "no phone number bound");
				continue;
			}
			// the intent, before the provider is asked: from here on a crash leaves "sending", never resent
			int intent = this.jdbc.sql("""
					UPDATE breach_person SET sms_status = 'sending', sms_attempted_at = :now
					WHERE breach_id = :b AND account_id = :a AND sms_claim = :claim AND sms_status = 'queued'""")
				.param("now", Breaches.utc(this.clock.instant()))
				.param("b", breach.id())
				.param("a", account)
				.param("claim", claim)
				.update();
			if (intent != 1) {
				continue; // taken back as stale by another node: it will be sent from the queue
			}
			String text = textOf.computeIfAbsent(breach.id(), id -> this.texts.sms(breach));
			NoticeSms.Outcome outcome;
			try {
				outcome = this.sms.send(phone.get(), text, this.texts.smsTemplate(breach));
			}
			catch (RuntimeException ex) {
				outcome = new NoticeSms.Uncertain(ex.getClass().getSimpleName());
			}
			switch (outcome) {
				case NoticeSms.Sent s -> sent += finish(breach.id(), account, claim, "sending", "sent", null);
				case NoticeSms.Refused r -> failed += finish(breach.id(), account, claim, "sending", "failed", r.reason());
				case NoticeSms.Uncertain u -> uncertain += finish(breach.id(), account, claim, "sending", "uncertain",
						"perhaps delivered, not sent again: " + u.reason());
				case NoticeSms.Throttled t -> {
					// known not sent: back in the queue with the rest of the batch, for a later batch
					this.jdbc.sql("""
							UPDATE breach_person SET sms_status = 'pending', sms_claim = NULL, sms_claimed_at = NULL,
							sms_attempted_at = NULL WHERE sms_claim = :claim AND sms_status IN ('sending', 'queued')""")
						.param("claim", claim)
						.update();
					log.info("Incident notices paused until the next batch: {}", t.reason());
					return new Batch(sent, failed, uncertain, noPhone, claimed.size() - sent - failed - uncertain - noPhone);
				}
			}
		}
		return new Batch(sent, failed, uncertain, noPhone, 0);
	}

	/** Moves one person's SMS from {@code from} to {@code to}, with its audit entry; 1 if it moved. */
	private int finish(String breachId, String account, String claim, String from, String to, String failure) {
		Instant now = this.clock.instant();
		int updated = this.jdbc.sql("UPDATE breach_person SET sms_status = :to, sms_failure = :failure"
				+ ("sent".equals(to) ? ", sms_delivered_at = :now" : "")
				+ " WHERE breach_id = :b AND account_id = :a AND sms_status = :from"
				+ (claim == null ? "" : " AND sms_claim = :claim"))
			.param("to", to)
			.param("failure", failure == null ? null : failure.length() > 400 ? failure.substring(0, 400) : failure)
			.param("now", Breaches.utc(now))
			.param("b", breachId)
			.param("a", account)
			.param("from", from)
			.param("claim", claim == null ? "" : claim)
			.update();
		if (updated == 1) {
			this.audit.record(AuditEntry.of(AuditTypes.BREACH_NOTICE_DELIVERY)
				.actor("system")
				.subject(account)
				.detail("breach", breachId)
				.detail("channel", "sms")
				.detail("outcome", to)
				.detail("failure", failure));
		}
		return updated;
	}

	private Optional<String> phone(String account) {
		return this.accounts.identities(account)
			.stream()
			.filter(i -> "phone".equals(i.provider()))
			.map(AccountService.LinkedIdentity::key)
			.findFirst();
	}

}
