package dev.tongxing.server.ratelimit;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a refused request leaves behind: the metric {@code tongxing_rate_limited_total{client,tier,endpoint}}
 * every time, and an audit entry at most once a minute per client (a client over its limit sends thousands of
 * requests; the log needs to know that it happened, not each one). The minute is a bucket of one in the rate
 * limits' own store, so on Redis it is one entry a minute for the whole cluster, not one per node; while that
 * store cannot answer, this node's own record of the last entry decides.
 */
class RateLimitedReporting {

	static final Duration AUDIT_INTERVAL = Duration.ofMinutes(1);

	private static final Logger log = LoggerFactory.getLogger(RateLimitedReporting.class);

	private final MeterRegistry meters;

	private final AuditLog audit;

	private final Clock clock;

	private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, Instant> lastAudited = new ConcurrentHashMap<>();

	private final Buckets buckets;

	/** One audit entry, then one more each minute. */
	private static final RequestLimit ONE_A_MINUTE = RequestLimit.per(1, AUDIT_INTERVAL);

	RateLimitedReporting(MeterRegistry meters, AuditLog audit, Clock clock, Buckets buckets) {
		this.buckets = buckets;
		this.meters = meters;
		this.audit = audit;
		this.clock = clock;
	}

	void refused(ClientRateLimiter.Decision decision, String endpoint) {
		String clientId = decision.client().getClientId();
		this.counters.computeIfAbsent(clientId + " " + endpoint, k -> Counter.builder("tongxing_rate_limited")
			.description("Requests refused because their client was over its rate limit")
			.tag("client", clientId)
			.tag("tier", decision.tier().name())
			.tag("endpoint", endpoint)
			.register(this.meters)).increment();
		if (firstThisMinute(clientId)) {
			try {
				this.audit.record(AuditEntry.of(AuditTypes.RATE_LIMIT_EXCEEDED)
					.actor("client:" + clientId)
					.client(clientId)
					.detail("endpoint", endpoint)
					.detail("tier", decision.tier().name())
					.detail("requests_per_second", decision.limit().perPeriod())
					.detail("burst", decision.limit().burst()));
			}
			catch (RuntimeException e) {
				log.warn("Could not audit the rate limit of client {}: {}", clientId, e.toString());
			}
		}
	}

	private boolean firstThisMinute(String clientId) {
		Buckets.Take take = this.buckets.take("audit:rate-limited:" + clientId, ONE_A_MINUTE);
		Instant now = this.clock.instant();
		if (!take.unavailable()) {
			if (take.allowed()) {
				this.lastAudited.put(clientId, now);
			}
			return take.allowed();
		}
		return now.equals(this.lastAudited.compute(clientId,
				(k, last) -> last == null || !now.isBefore(last.plus(AUDIT_INTERVAL)) ? now : last));
	}

}
