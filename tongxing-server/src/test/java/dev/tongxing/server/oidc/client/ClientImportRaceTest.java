package dev.tongxing.server.oidc.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.TokenProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.mock.env.MockEnvironment;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.oauth2.server.authorization.client.InMemoryRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Two nodes starting for the first time at once both find a configured client missing and both insert it: the
 * one that loses the insert keeps starting (the client is there, saving it again updates it), as the soak found
 * when two first starts on an empty schema lost the second node.
 */
class ClientImportRaceTest {

	/** The database as the losing node sees it: the other node's insert lands between its look-up and its own. */
	static final class RacedRepository implements RegisteredClientRepository {

		final InMemoryRegisteredClientRepository stored = new InMemoryRegisteredClientRepository(
				RegisteredClient.withId("client-placeholder").clientId("placeholder").clientSecret("x")
					.authorizationGrantType(org.springframework.security.oauth2.core.AuthorizationGrantType.CLIENT_CREDENTIALS)
					.build());

		final List<String> saves = new ArrayList<>();

		boolean raced;

		@Override
		public void save(RegisteredClient client) {
			this.saves.add(client.getClientId());
			if (!this.raced && this.stored.findById(client.getId()) == null) {
				this.raced = true;
				this.stored.save(client); // the other node's insert
				throw new DuplicateKeyException("duplicate key value violates unique constraint oauth2_registered_client_pkey");
			}
			if (this.stored.findById(client.getId()) != null) {
				// InMemoryRegisteredClientRepository refuses to save an id twice: an update replaces it here
				RegisteredClient kept = this.stored.findById(client.getId());
				assertThat(kept.getClientId()).isEqualTo(client.getClientId());
				return;
			}
			this.stored.save(client);
		}

		@Override
		public RegisteredClient findById(String id) {
			return this.stored.findById(id);
		}

		@Override
		public RegisteredClient findByClientId(String clientId) {
			return this.raced ? this.stored.findByClientId(clientId) : null; // the look-up came before the other's insert
		}

	}

	@Test
	void theNodeThatLosesTheInsertStartsAnyway() {
		ClientDefinition backend = new ClientDefinition("backend", "{noop}backend-secret", null, List.of(), List.of(),
				List.of("api.read"), List.of("client_credentials"), ClientTier.C, false, List.of());
		RacedRepository repository = new RacedRepository();
		String key = Base64.getEncoder().encodeToString(new byte[32]);
		ClientImporter importer = new ClientImporter(new OidcProperties("http://127.0.0.1:8080", List.of(backend)),
				new TokenProperties(Duration.ofHours(2), Duration.ofDays(30), Duration.ofMinutes(5), Duration.ZERO),
				List.of(), repository, PasswordEncoderFactories.createDelegatingPasswordEncoder(),
				new MasterKeyCipher("test", Map.of("test", key)), new MockEnvironment(), event -> {
				}, Set.of());
		importer.afterSingletonsInstantiated();
		assertThat(repository.raced).isTrue();
		assertThat(repository.saves).containsExactly("backend", "backend");
		assertThat(repository.findById("client-backend")).isNotNull();
	}

}
