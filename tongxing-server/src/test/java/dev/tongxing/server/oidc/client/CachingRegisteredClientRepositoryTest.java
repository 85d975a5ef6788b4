package dev.tongxing.server.oidc.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.MutableClock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

class CachingRegisteredClientRepositoryTest {

	static RegisteredClient client(String scope) {
		return RegisteredClient.withId("id-1")
			.clientId("app")
			.clientSecret("{noop}x")
			.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
			.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
			.scope(scope)
			.build();
	}

	/** Counts the lookups that reach the store. */
	static final class CountingRepository implements RegisteredClientRepository {

		final AtomicInteger reads = new AtomicInteger();

		private final InMemoryRegisteredClientRepository store;

		CountingRepository(RegisteredClient client) {
			this.store = new InMemoryRegisteredClientRepository(client);
		}

		@Override
		public void save(RegisteredClient client) {
			this.store.save(client);
		}

		@Override
		public RegisteredClient findById(String id) {
			return this.store.findById(id);
		}

		@Override
		public RegisteredClient findByClientId(String clientId) {
			this.reads.incrementAndGet();
			return this.store.findByClientId(clientId);
		}

	}

	@Test
	void repeatedLookupsHitTheStoreOncePerTtlAndSavesShowAtOnce() {
		MutableClock clock = new MutableClock();
		CountingRepository store = new CountingRepository(client("a"));
		var cache = new CachingRegisteredClientRepository(store, Duration.ofSeconds(1), clock);
		for (int i = 0; i < 100; i++) {
			assertThat(cache.findByClientId("app").getScopes()).containsExactly("a");
		}
		assertThat(store.reads).hasValue(1);

		cache.save(client("b")); // through this node: seen at once
		assertThat(cache.findByClientId("app").getScopes()).containsExactly("b");

		store.save(client("c")); // behind our back (another node): seen after the TTL
		assertThat(cache.findByClientId("app").getScopes()).containsExactly("b");
		clock.advance(Duration.ofMillis(1100));
		assertThat(cache.findByClientId("app").getScopes()).containsExactly("c");
	}

	@Test
	void unknownClientsAreNotCached() {
		CountingRepository store = new CountingRepository(client("a"));
		var cache = new CachingRegisteredClientRepository(store, Duration.ofSeconds(1), new MutableClock());
		assertThat(cache.findByClientId("nobody")).isNull();
		assertThat(cache.findByClientId("nobody")).isNull();
		assertThat(store.reads).hasValue(2);
	}

}
