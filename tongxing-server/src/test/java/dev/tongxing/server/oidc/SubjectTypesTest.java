package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * Discovery names both subject types; the test profile's clients get the types their configuration asks for; a
 * {@code subject-type} the gateway does not know, or a pairwise client whose redirect URIs span several hosts with
 * no {@code sector-identifier}, stops the start with a message that names the client and the fix.
 */
class SubjectTypesTest extends GatewayTest {

	@Autowired
	RegisteredClientRepository clients;

	@Test
	void discoveryListsPublicAndPairwise() {
		OAuthClient.Reply configuration = new OAuthClient(this.issuer).get("/.well-known/openid-configuration", null);
		assertThat(configuration.status()).isEqualTo(200);
		assertThat(configuration.json()).extractingByKey("subject_types_supported", InstanceOfAssertFactories.LIST)
			.containsExactly("public", "pairwise");
	}

	@Test
	void theTestProfilesClientsGetWhatTheirConfigurationSays() {
		// first-party: public by default; partner is not first-party but says subject-type: public
		for (String clientId : List.of("live-web", "mobile", "live-app", "partner", "overseas")) {
			assertThat(ClientSettingNames.pairwise(this.clients.findByClientId(clientId))).as(clientId).isFalse();
			assertThat(this.clients.findByClientId(clientId).getClientSettings()
				.<String>getSetting(ClientSettingNames.SUBJECT_TYPE)).as(clientId).isEqualTo("public");
		}
		// not first-party, no subject-type, new: pairwise; no redirect URIs: a sector of its own
		assertThat(ClientSettingNames.pairwise(this.clients.findByClientId("backend"))).isTrue();
		assertThat(ClientSettingNames.sectorIdentifier(this.clients.findByClientId("backend"))).isEqualTo("client:backend");
	}

	@Test
	void anUnknownSubjectTypeOrAnAmbiguousSectorStopsTheStart() {
		Map<String, Object> properties = new LinkedHashMap<>();
		PairwiseClients.client(properties, 0, "typo", "pairwize", null, false);
		PairwiseClients.client(properties, 1, "two-hosts", null, null, false);
		properties.put("tongxing.clients[1].redirect-uris[1]", "https://b.example.com/cb");
		PairwiseClients.client(properties, 2, "bad-sector", "pairwise", "https://c.example.com/", true);
		PairwiseClients.client(properties, 3, "public-with-sector", "public", "d.example.com", true);
		for (int i = 0; i < 2; i++) {
			properties.put("tongxing.clients[" + i + "].company", "Them Ltd.");
			properties.put("tongxing.clients[" + i + "].contact", "privacy@them.example.com");
			properties.put("tongxing.clients[" + i + "].purposes[0]", "Signing you in");
		}
		int port = FreePort.find();
		assertThatThrownBy(() -> GatewayNode.start("http://127.0.0.1:" + port, port, properties).close())
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("Invalid client configuration")
			.hasMessageContaining("tongxing.clients[0] (typo): subject-type must be 'public' or 'pairwise', not 'pairwize'")
			.hasMessageContaining("tongxing.clients[1] (two-hosts): its subjects are pairwise (a client that is not "
					+ "first-party, new to this database), and its redirect-uris span several hosts [127.0.0.1, b.example.com]: "
					+ "set sector-identifier")
			.hasMessageContaining("tongxing.clients[2] (bad-sector): sector-identifier 'https://c.example.com/' must be a "
					+ "lower-case host name")
			.hasMessageContaining("tongxing.clients[3] (public-with-sector): sector-identifier is only for subject-type: "
					+ "pairwise");
	}

}
