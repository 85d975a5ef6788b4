package dev.tongxing.server.oidc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ClientSettingKeysTest {

	static StandardEnvironment environment(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		return environment;
	}

	@Test
	void everyClientSettingIsKnownInAnySpelling() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("tongxing.clients[0].client-id", "a");
		properties.put("tongxing.clients[0].client-secret", "s");
		properties.put("tongxing.clients[0].redirect-uris[0]", "https://a.example.com/cb");
		properties.put("tongxing.clients[0].require-pkce", "false");
		properties.put("tongxing.clients[0].backchannel-logout-session-required", "false");
		properties.put("tongxing.clients[1].clientId", "b");
		properties.put("tongxing.clients[1].first-party", "true");
		properties.put("tongxing.issuer", "https://login.example.com");
		assertThat(ClientSettingKeys.unknown(environment(properties))).isEmpty();
	}

	@Test
	void unknownKeysAreListedWithTheKnownOnes() {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("tongxing.clients[0].client-id", "a");
		properties.put("tongxing.clients[0].require-pcke", "false");
		properties.put("tongxing.clients[2].redirect-uri", "https://a.example.com/cb");
		List<String> problems = new ArrayList<>(ClientSettingKeys.unknown(environment(properties)));
		assertThat(problems).hasSize(3);
		assertThat(problems.get(0)).isEqualTo("tongxing.clients[0].require-pcke is not a client setting");
		assertThat(problems.get(1)).isEqualTo("tongxing.clients[2].redirect-uri is not a client setting");
		assertThat(problems.get(2)).startsWith("client settings are: client-id, client-secret").contains("require-pkce");
	}

	@Test
	void requirePkceOffIsOnlyForConfidentialClients() {
		List<String> problems = new ArrayList<>();
		ClientImporter.validate("tongxing.clients[0]", new ClientDefinition("app", null, null,
				List.of("https://app.example.com/cb"), List.of(), List.of("openid"), List.of("authorization_code"),
				ClientTier.C, false, List.of(), null, "cn", null, null, false, "RS256", "RS256", null, false), problems);
		assertThat(problems).singleElement().asString().contains("require-pkce: false is only for confidential clients");
		problems.clear();
		ClientImporter.validate("tongxing.clients[0]", new ClientDefinition("app", "secret", null,
				List.of("https://app.example.com/cb"), List.of(), List.of("openid"), List.of("authorization_code"),
				ClientTier.C, false, List.of(), null, "cn", null, null, false, "RS256", "RS256", null, false), problems);
		assertThat(problems).isEmpty();
	}

}
