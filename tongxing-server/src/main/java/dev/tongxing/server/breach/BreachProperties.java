package dev.tongxing.server.breach;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Notices of personal-data incidents (PIPL Art. 57), under {@code tongxing.breach.*}.
 *
 * @param zone the time zone of the times operators type and people read
 * @param smsLocale the language of the SMS (the person's language is not known before they sign in)
 * @param sms how fast SMS notices go out
 * @param categoryEvents for each item of the personal-data catalogue, the audit entry types that show the
 * gateway processed it for a person (a selection by data category selects the people with such entries);
 * replaces the defaults when set
 */
@ConfigurationProperties("tongxing.breach")
public record BreachProperties(@DefaultValue("Asia/Shanghai") ZoneId zone, @DefaultValue("zh-CN") Locale smsLocale,
		@DefaultValue Sms sms, Map<String, List<String>> categoryEvents) {

	/** What each catalogue item's processing leaves in the audit trail, unless configured otherwise. */
	static final Map<String, List<String>> DEFAULT_CATEGORY_EVENTS = Map.ofEntries(
			Map.entry("wechat-identifiers", List.of("login.succeeded", "account.created", "account.linked")),
			Map.entry("wechat-profile", List.of("login.succeeded", "personal-data.released")),
			Map.entry("phone-number", List.of("login.succeeded", "account.linked", "personal-data.released",
					"personal-data.read")),
			Map.entry("passkeys", List.of("passkey.added", "passkey.renamed", "passkey.removed")),
			Map.entry("upstream-identifiers", List.of("login.succeeded", "account.linked")),
			Map.entry("subject-identifier", List.of("token.issued", "personal-data.released")),
			Map.entry("sign-in-sessions-and-tokens", List.of("login.succeeded", "token.issued")),
			Map.entry("security-logs", List.of("login.succeeded", "login.failed")),
			Map.entry("consent-records", List.of("consent.granted", "consent.refused", "consent.withdrawn")),
			Map.entry("age-bracket", List.of("personal-data.released", "personal-data.corrected")));

	public BreachProperties {
		categoryEvents = categoryEvents == null || categoryEvents.isEmpty() ? DEFAULT_CATEGORY_EVENTS
				: Map.copyOf(categoryEvents);
	}

	/**
	 * @param interval how often each node sends a batch
	 * @param batchSize at most this many SMS per batch and node (a provider's limits are per second and per
	 * number; a batch that meets one stops and the rest wait for the next)
	 * @param staleAfter a claim or a send that has not finished after this long belongs to a node that stopped:
	 * a claimed message never tried goes back to the queue, one being sent is marked uncertain (never resent)
	 */
	public record Sms(@DefaultValue("PT10S") Duration interval, @DefaultValue("50") int batchSize,
			@DefaultValue("PT10M") Duration staleAfter) {

		public Sms {
			List<String> problems = new ArrayList<>();
			if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
				problems.add("sms.interval must be at least PT1S");
			}
			if (batchSize < 1 || batchSize > 1000) {
				problems.add("sms.batch-size must be between 1 and 1000");
			}
			if (staleAfter.compareTo(Duration.ofMinutes(1)) < 0) {
				problems.add("sms.stale-after must be at least PT1M");
			}
			if (!problems.isEmpty()) {
				throw new IllegalArgumentException("tongxing.breach: " + String.join("; ", problems));
			}
		}

	}

}
