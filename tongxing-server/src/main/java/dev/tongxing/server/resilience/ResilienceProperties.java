package dev.tongxing.server.resilience;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.resilience.*}: how every call to an upstream (WeChat, the SMS provider, OpenID Connect
 * providers) is guarded. {@code defaults} apply to every upstream; {@code upstreams.<name>} ({@code wechat},
 * {@code sms}, {@code oidc}) override single settings. Unset settings fall back to {@link Policy#BUILT_IN}.
 *
 * @param defaults settings for every upstream
 * @param upstreams per-upstream overrides, by upstream name
 */
@ConfigurationProperties("tongxing.resilience")
public record ResilienceProperties(@DefaultValue Policy defaults, @DefaultValue Map<String, Policy> upstreams) {

	public ResilienceProperties {
		List<String> problems = new ArrayList<>();
		defaults.check("tongxing.resilience.defaults", problems);
		upstreams.forEach((name, policy) -> policy.check("tongxing.resilience.upstreams." + name, problems));
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid resilience settings: " + String.join("; ", problems));
		}
	}

	/** The settings for one upstream: its override, else the defaults, else the built-in values. */
	Policy policy(String upstream) {
		Policy override = this.upstreams.get(upstream);
		Policy merged = override == null ? this.defaults : override.or(this.defaults);
		return merged.or(Policy.BUILT_IN);
	}

	/**
	 * Every setting may be left unset (null) to fall back.
	 *
	 * @param timeout deadline of one attempt, enforced whatever the call is doing (connecting, waiting, reading);
	 * unset: the upstream's own timeout setting ({@code tongxing.wechat.timeout}, {@code tongxing.sms.timeout},
	 * each OIDC upstream's {@code timeout})
	 * @param bulkheadSize calls to one app of the upstream allowed in flight at once
	 * @param bulkheadWait how long a call waits for room before it is refused
	 * @param failureRateThreshold percent of failed calls in the window that opens the breaker
	 * @param slidingWindowSize calls the breaker looks back over
	 * @param minimumCalls calls in the window before the breaker may open
	 * @param openDuration how long an open breaker refuses calls before trying a few
	 * @param halfOpenCalls trial calls of a half-open breaker
	 * @param slowCallDuration calls slower than this count as slow
	 * @param slowCallRateThreshold percent of slow calls that opens the breaker
	 * @param retryAttempts tries in all (1 = no retry), for calls safe to repeat only
	 * @param retryBackoff wait before the first retry; each next one waits {@code retryMultiplier} times longer
	 * @param retryMultiplier growth of the wait between retries
	 * @param retryJitter randomisation of each wait (0.5: ±50%), so callers do not retry in step
	 */
	public record Policy(Duration timeout, Integer bulkheadSize, Duration bulkheadWait, Float failureRateThreshold,
			Integer slidingWindowSize, Integer minimumCalls, Duration openDuration, Integer halfOpenCalls,
			Duration slowCallDuration, Float slowCallRateThreshold, Integer retryAttempts, Duration retryBackoff,
			Double retryMultiplier, Double retryJitter) {

		/** The values used where nothing is configured. */
		public static final Policy BUILT_IN = new Policy(null, 25, Duration.ZERO, 50f, 20, 5, Duration.ofSeconds(30),
				3, Duration.ofSeconds(10), 100f, 3, Duration.ofMillis(50), 2.0, 0.5);

		/** Nothing set: everything falls back. */
		public static final Policy UNSET = new Policy(null, null, null, null, null, null, null, null, null, null, null,
				null, null, null);

		/** Each unset setting taken from {@code fallback}. */
		Policy or(Policy fallback) {
			return new Policy(first(this.timeout, fallback.timeout), first(this.bulkheadSize, fallback.bulkheadSize),
					first(this.bulkheadWait, fallback.bulkheadWait),
					first(this.failureRateThreshold, fallback.failureRateThreshold),
					first(this.slidingWindowSize, fallback.slidingWindowSize),
					first(this.minimumCalls, fallback.minimumCalls), first(this.openDuration, fallback.openDuration),
					first(this.halfOpenCalls, fallback.halfOpenCalls),
					first(this.slowCallDuration, fallback.slowCallDuration),
					first(this.slowCallRateThreshold, fallback.slowCallRateThreshold),
					first(this.retryAttempts, fallback.retryAttempts), first(this.retryBackoff, fallback.retryBackoff),
					first(this.retryMultiplier, fallback.retryMultiplier), first(this.retryJitter, fallback.retryJitter));
		}

		void check(String prefix, List<String> problems) {
			if (this.timeout != null && (this.timeout.isNegative() || this.timeout.isZero()
					|| this.timeout.compareTo(Duration.ofSeconds(60)) > 0)) {
				problems.add(prefix + ".timeout must be more than 0 and at most 60s");
			}
			range(prefix + ".bulkhead-size", this.bulkheadSize, 1, 10_000, problems);
			if (this.bulkheadWait != null && (this.bulkheadWait.isNegative()
					|| this.bulkheadWait.compareTo(Duration.ofSeconds(10)) > 0)) {
				problems.add(prefix + ".bulkhead-wait must be between 0 and 10s");
			}
			range(prefix + ".failure-rate-threshold", this.failureRateThreshold, 1, 100, problems);
			range(prefix + ".sliding-window-size", this.slidingWindowSize, 1, 10_000, problems);
			range(prefix + ".minimum-calls", this.minimumCalls, 1, 10_000, problems);
			if (this.openDuration != null && (this.openDuration.isNegative() || this.openDuration.isZero())) {
				problems.add(prefix + ".open-duration must be more than 0");
			}
			range(prefix + ".half-open-calls", this.halfOpenCalls, 1, 1000, problems);
			if (this.slowCallDuration != null && (this.slowCallDuration.isNegative() || this.slowCallDuration.isZero())) {
				problems.add(prefix + ".slow-call-duration must be more than 0");
			}
			range(prefix + ".slow-call-rate-threshold", this.slowCallRateThreshold, 1, 100, problems);
			range(prefix + ".retry-attempts", this.retryAttempts, 1, 10, problems);
			if (this.retryBackoff != null && (this.retryBackoff.isNegative() || this.retryBackoff.isZero()
					|| this.retryBackoff.compareTo(Duration.ofSeconds(10)) > 0)) {
				problems.add(prefix + ".retry-backoff must be more than 0 and at most 10s");
			}
			range(prefix + ".retry-multiplier", this.retryMultiplier, 1, 10, problems);
			if (this.retryJitter != null && (this.retryJitter < 0 || this.retryJitter >= 1)) {
				problems.add(prefix + ".retry-jitter must be at least 0 and below 1");
			}
		}

		private static void range(String key, Number value, double min, double max, List<String> problems) {
			if (value != null && (value.doubleValue() < min || value.doubleValue() > max)) {
				problems.add(key + " must be between " + (long) min + " and " + (long) max);
			}
		}

		private static <T> T first(T value, T fallback) {
			return value != null ? value : fallback;
		}

	}

}
