package dev.tongxing.server.consent;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import dev.tongxing.server.deletion.AccountDeletion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Personal data goes when consent to it goes (PIPL Art. 47 (1)(3)): an account whose latest decision about the
 * privacy policy took consent back (withdrawn, or a new material version refused) and was not renewed within
 * {@code tongxing.privacy.withdrawn-consent.delete-after} is put through account deletion, as if the person had
 * asked. The person is told first (the deletion announces every request they did not make, by SMS), and its
 * cooling-off is their time to keep the account: the apps hear {@code account-disabled} at once, the person who
 * signs in meanwhile is told and may keep the account by accepting the policy again, and only after it is every
 * trace erased. Each request names this rule as its actor in the audit log.
 */
@Component
@EnableConfigurationProperties(WithdrawnConsentRetention.Settings.class)
class WithdrawnConsentRetention {

	static final String ACTOR = "system:withdrawn-consent-retention";

	private static final Logger log = LoggerFactory.getLogger(WithdrawnConsentRetention.class);

	/**
	 * {@code tongxing.privacy.withdrawn-consent.*}.
	 *
	 * @param deleteAfter how long an account may stay after consent was taken back and not renewed (at least a
	 * day: a person who withdrew by mistake must have time to sign in and accept again)
	 * @param checkInterval how often each node looks
	 * @param enabled off only where another process deletes such accounts (say why in the processing register)
	 */
	@ConfigurationProperties("tongxing.privacy.withdrawn-consent")
	record Settings(@DefaultValue("P30D") Duration deleteAfter, @DefaultValue("PT1H") Duration checkInterval,
			@DefaultValue("true") boolean enabled) {

		Settings {
			if (deleteAfter.compareTo(Duration.ofDays(1)) < 0) {
				throw new IllegalArgumentException("tongxing.privacy.withdrawn-consent.delete-after must be at least P1D");
			}
		}
	}

	private static final int BATCH = 100;

	private final ConsentRecords records;

	private final AccountDeletion deletion;

	private final AccountService accounts;

	private final Settings settings;

	private final Clock clock;

	WithdrawnConsentRetention(ConsentRecords records, AccountDeletion deletion, AccountService accounts,
			Settings settings, Clock clock) {
		this.records = records;
		this.deletion = deletion;
		this.accounts = accounts;
		this.settings = settings;
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${tongxing.privacy.withdrawn-consent.check-interval:PT1H}",
			fixedDelayString = "${tongxing.privacy.withdrawn-consent.check-interval:PT1H}")
	void scheduled() {
		if (!this.settings.enabled()) {
			return;
		}
		try {
			requestDeletions(this.clock.instant());
		}
		catch (RuntimeException ex) {
			log.warn("Could not look for accounts whose consent was withdrawn: {}", ex.toString());
		}
	}

	/**
	 * Requests the deletion of every account whose consent was taken back before {@code now - delete-after}.
	 * @return how many requests were made
	 */
	int requestDeletions(Instant now) {
		return requestDeletions(now, subject -> true);
	}

	/** {@link #requestDeletions(Instant)} for these people only (a test among others' accounts). */
	int requestDeletions(Instant now, java.util.function.Predicate<String> only) {
		int requested = 0;
		List<String> due = this.records.policyConsentTakenBackBefore(now.minus(this.settings.deleteAfter()), BATCH);
		for (String subject : due) {
			if (!only.test(subject) || this.accounts.status(subject).filter(s -> s == AccountStatus.ACTIVE).isEmpty()
					|| this.deletion.pending(subject).isPresent()) {
				continue;
			}
			this.deletion.request(subject, ACTOR);
			requested++;
		}
		if (requested > 0) {
			log.info("Requested the deletion of {} account(s) whose consent was withdrawn over {} ago", requested,
					this.settings.deleteAfter());
		}
		return requested;
	}

}
