package dev.tongxing.server.oidc.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Keeps registered clients in memory for a short while: the token path looks its client up on every
 * request, and re-reading and re-parsing the row each time costs more than the rest of the request
 * besides the signature. Entries expire after {@code ttl} (one second by default), so a change made on
 * another node is seen within that time; a change saved through this node is seen at once.
 */
public class CachingRegisteredClientRepository implements RegisteredClientRepository {

	private record Entry(RegisteredClient client, Instant expires) {
	}

	private final RegisteredClientRepository delegate;

	private final Duration ttl;

	private final Clock clock;

	private final Map<String, Entry> byId = new ConcurrentHashMap<>();

	private final Map<String, Entry> byClientId = new ConcurrentHashMap<>();

	public CachingRegisteredClientRepository(RegisteredClientRepository delegate, Duration ttl, Clock clock) {
		this.delegate = delegate;
		this.ttl = ttl;
		this.clock = clock;
	}

	@Override
	public void save(RegisteredClient client) {
		this.delegate.save(client);
		this.byId.clear();
		this.byClientId.clear();
	}

	@Override
	public RegisteredClient findById(String id) {
		return cached(this.byId, id, this.delegate::findById);
	}

	@Override
	public RegisteredClient findByClientId(String clientId) {
		return cached(this.byClientId, clientId, this.delegate::findByClientId);
	}

	private RegisteredClient cached(Map<String, Entry> cache, String key, Function<String, RegisteredClient> load) {
		Instant now = this.clock.instant();
		Entry entry = cache.get(key);
		if (entry != null && now.isBefore(entry.expires())) {
			return entry.client();
		}
		RegisteredClient client = load.apply(key);
		if (client != null) {
			if (cache.size() > 10_000) {
				cache.clear(); // unknown client ids cannot grow it: misses are not cached
			}
			cache.put(key, new Entry(client, now.plus(this.ttl)));
		}
		return client;
	}

}
