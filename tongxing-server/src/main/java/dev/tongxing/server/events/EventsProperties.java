package dev.tongxing.server.events;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.events.*}: how security events and logout tokens are delivered.
 *
 * @param pollInterval how often each node looks for due deliveries
 * @param batchSize how many deliveries a node claims at once
 * @param lease how long a claimed delivery belongs to its node; a crashed node's deliveries are taken over
 * after this. Must exceed connect-timeout plus request-timeout, or a slow delivery could be claimed twice
 * @param connectTimeout connect timeout of each HTTP call to a receiver
 * @param requestTimeout response timeout of each HTTP call to a receiver
 * @param initialBackoff the wait after the first failed attempt; it doubles with each failure (plus jitter)
 * @param maxBackoff the longest wait between two attempts
 * @param maxAttempts attempts before a delivery is dead-lettered
 * @param maxAge age after which an undelivered event is dead-lettered, whatever its attempts
 * @param logoutTokenTtl lifetime ({@code exp}) of each back-channel logout token; it is signed afresh at each
 * attempt
 * @param retention how long delivered, rejected and dead events stay listed for operators
 */
@ConfigurationProperties("tongxing.events")
public record EventsProperties(@DefaultValue("2s") Duration pollInterval, @DefaultValue("20") int batchSize,
		@DefaultValue("60s") Duration lease, @DefaultValue("5s") Duration connectTimeout,
		@DefaultValue("10s") Duration requestTimeout, @DefaultValue("5s") Duration initialBackoff,
		@DefaultValue("1h") Duration maxBackoff, @DefaultValue("12") int maxAttempts,
		@DefaultValue("3d") Duration maxAge, @DefaultValue("2m") Duration logoutTokenTtl,
		@DefaultValue("30d") Duration retention) {

	public EventsProperties {
		List<String> problems = new ArrayList<>();
		positive("poll-interval", pollInterval, problems);
		positive("lease", lease, problems);
		positive("connect-timeout", connectTimeout, problems);
		positive("request-timeout", requestTimeout, problems);
		positive("initial-backoff", initialBackoff, problems);
		positive("max-backoff", maxBackoff, problems);
		positive("max-age", maxAge, problems);
		positive("logout-token-ttl", logoutTokenTtl, problems);
		positive("retention", retention, problems);
		if (batchSize < 1 || batchSize > 1000) {
			problems.add("batch-size must be 1-1000");
		}
		if (maxAttempts < 1) {
			problems.add("max-attempts must be at least 1");
		}
		if (problems.isEmpty() && lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
			problems.add("lease (" + lease + ") must be longer than connect-timeout + request-timeout ("
					+ connectTimeout.plus(requestTimeout) + "), or a slow delivery could be claimed by a second node");
		}
		if (problems.isEmpty() && maxBackoff.compareTo(initialBackoff) < 0) {
			problems.add("max-backoff must not be shorter than initial-backoff");
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException("Invalid tongxing.events configuration: " + String.join("; ", problems));
		}
	}

	private static void positive(String name, Duration value, List<String> problems) {
		if (value == null || value.isNegative() || value.isZero()) {
			problems.add(name + " must be a positive duration");
		}
	}

}
