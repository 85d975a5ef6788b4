package dev.tongxing.server.ratelimit;

import dev.tongxing.server.oidc.client.ClientTier;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.rate-limits.*}: the partner tiers' limits and how they are shared between nodes.
 *
 * @param enabled false switches every client limit off (e.g. to measure the gateway without them)
 * @param tiers per tier; anything unset takes the tier's default ({@link #limits})
 * @param redisUnavailable what a node does while the shared Redis cannot be reached
 * @param redisTimeout how long a node waits for Redis on one request before it counts as unreachable
 * @param redisKeyPrefix start of every Redis key (several gateways may share one Redis)
 * @param redisLocalTokens requests a node may grant from a bucket on Redis before it synchronises with it
 * (Bucket4j's delaying optimisation, at the latest every 100 ms); 0 asks Redis at every request; -1 (the
 * default) is 1 % of the limit's requests per second (so S-tier clients, 5000/s, sync every 50 requests and
 * C-tier ones, 50/s, at every request). The cluster may exceed a limit by at most this many requests per node.
 */
@ConfigurationProperties("tongxing.rate-limits")
public record RateLimitProperties(@DefaultValue("true") boolean enabled, Map<ClientTier, TierLimits> tiers,
		@DefaultValue("local") RedisUnavailable redisUnavailable, @DefaultValue("250ms") Duration redisTimeout,
		@DefaultValue("tongxing:rate-limit") String redisKeyPrefix, @DefaultValue("-1") int redisLocalTokens) {

	public enum RedisUnavailable {
		/** each node enforces every limit on its own (the cluster may then allow up to nodes × limit) */
		LOCAL,
		/** refuse the limited requests (503) until Redis answers again */
		REFUSE
	}

	/**
	 * One tier's limits, requests per second per client across the cluster; each burst defaults to one
	 * second's worth.
	 */
	public record TierLimits(Integer tokenRequestsPerSecond, Integer burst, Integer authorizationRequestsPerSecond,
			Integer authorizationBurst, Integer introspectionRequestsPerSecond, Integer introspectionBurst) {
	}

	public RateLimitProperties {
		tiers = tiers == null ? Map.of() : Map.copyOf(tiers);
	}

	/** How many requests of this limit a node may grant before it synchronises with Redis. */
	long localTokens(RequestLimit limit) {
		return this.redisLocalTokens >= 0 ? this.redisLocalTokens : limit.perPeriod() / 100;
	}

	/** The defaults: token and authorization S 5000, A 1000, B 200, C 50; introspection twice that. */
	private static final Map<ClientTier, Integer> TOKEN_DEFAULTS = new EnumMap<>(
			Map.of(ClientTier.S, 5000, ClientTier.A, 1000, ClientTier.B, 200, ClientTier.C, 50));

	/** The tier's limit for one group of endpoints, configuration over defaults. */
	public RequestLimit limits(ClientTier tier, LimitedEndpoint endpoint) {
		int token = TOKEN_DEFAULTS.get(tier);
		TierLimits configured = this.tiers.get(tier);
		Integer rate;
		Integer burst;
		int defaultRate = switch (endpoint) {
			case TOKEN -> token;
			case AUTHORIZATION -> token; // a login takes one or two authorization requests and one token request
			case INTROSPECTION -> token * 2;
		};
		if (configured == null) {
			return new RequestLimit(defaultRate, defaultRate);
		}
		switch (endpoint) {
			case TOKEN -> {
				rate = configured.tokenRequestsPerSecond();
				burst = configured.burst();
			}
			case AUTHORIZATION -> {
				rate = configured.authorizationRequestsPerSecond();
				burst = configured.authorizationBurst();
			}
			default -> {
				rate = configured.introspectionRequestsPerSecond();
				burst = configured.introspectionBurst();
			}
		}
		int perSecond = rate == null ? defaultRate : rate;
		return new RequestLimit(perSecond, burst == null ? perSecond : burst);
	}

}
