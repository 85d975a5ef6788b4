package dev.tongxing.server.ratelimit;

import dev.tongxing.server.oidc.client.ClientRateLimit;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.oidc.client.ClientTier;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A client's limits (its own {@code rate-limit}, else its tier's) and the decision for one request. Made for
 * the token path: a map lookup and a lock-free bucket, the limits worked out once per client object.
 */
public class ClientRateLimiter {

	/** The limits worked out for one client object (the client cache hands out the same one for a while). */
	private record Resolved(RegisteredClient client, ClientTier tier, Map<LimitedEndpoint, RequestLimit> limits) {
	}

	/** The decision and what the response tells about it. */
	public record Decision(RegisteredClient client, ClientTier tier, LimitedEndpoint endpoint, RequestLimit limit,
			Buckets.Take take) {
	}

	private final RateLimitProperties properties;

	private final Buckets buckets;

	private final ConcurrentHashMap<String, Resolved> resolved = new ConcurrentHashMap<>();

	public ClientRateLimiter(RateLimitProperties properties, Buckets buckets) {
		this.properties = properties;
		this.buckets = buckets;
	}

	public Decision decide(RegisteredClient client, LimitedEndpoint endpoint) {
		Resolved its = this.resolved.get(client.getId());
		if (its == null || its.client() != client) {
			its = resolve(client);
			this.resolved.put(client.getId(), its);
		}
		RequestLimit limit = its.limits().get(endpoint);
		Buckets.Take take = this.buckets.take(endpoint.policy() + ":" + client.getClientId(), limit);
		return new Decision(client, its.tier(), endpoint, limit, take);
	}

	public Buckets buckets() {
		return this.buckets;
	}

	private Resolved resolve(RegisteredClient client) {
		ClientTier tier = ClientSettingNames.tier(client);
		ClientRateLimit own = ClientSettingNames.rateLimit(client);
		Map<LimitedEndpoint, RequestLimit> limits = new EnumMap<>(LimitedEndpoint.class);
		for (LimitedEndpoint endpoint : LimitedEndpoint.values()) {
			RequestLimit base = this.properties.limits(tier, endpoint);
			Integer rate = own == null ? null : switch (endpoint) {
				case TOKEN -> own.tokenRequestsPerSecond();
				case AUTHORIZATION -> own.authorizationRequestsPerSecond();
				case INTROSPECTION -> own.introspectionRequestsPerSecond();
			};
			Integer burst = own != null && endpoint == LimitedEndpoint.TOKEN ? own.burst() : null;
			long perSecond = rate == null ? base.perPeriod() : rate;
			limits.put(endpoint, new RequestLimit(perSecond,
					burst != null ? burst : rate != null ? perSecond : base.burst()));
		}
		return new Resolved(client, tier, limits);
	}

}
