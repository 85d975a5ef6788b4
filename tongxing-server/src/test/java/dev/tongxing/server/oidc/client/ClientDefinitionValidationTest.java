package dev.tongxing.server.oidc.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClientDefinitionValidationTest {

	static ClientDefinition client(String secret, List<String> redirects, List<String> grants) {
		return new ClientDefinition("app", secret, null, redirects, List.of(), List.of("openid"), grants,
				ClientTier.C, false, List.of());
	}

	static List<String> problems(ClientDefinition d) {
		List<String> problems = new ArrayList<>();
		ClientImporter.validate("tongxing.clients[0]", d, problems);
		return problems;
	}

	@Test
	void aGoodConfidentialClientPasses() {
		assertThat(problems(client("s", List.of("https://app.example.com/cb"),
				List.of("authorization_code", "refresh_token", "client_credentials")))).isEmpty();
	}

	@Test
	void aRedirectOnTheGatewaysOwnOriginIsTheGatewayItself() {
		// e.g. the console's callback when the issuer is http://localhost (passkeys need a name, not an IP)
		ClientDefinition console = client(null, List.of("http://localhost:8080/admin/login/oauth2/code/tongxing-console"),
				List.of("authorization_code"));
		List<String> problems = new ArrayList<>();
		ClientImporter.validate("tongxing.clients[0]", console, problems, "http://localhost:8080");
		assertThat(problems).isEmpty();
		// another port, host or scheme of the same name is not the gateway
		for (String other : List.of("http://localhost:8081/cb", "http://localhost.example.com:8080/cb",
				"http://user@localhost:8080/cb")) {
			problems = new ArrayList<>();
			ClientImporter.validate("tongxing.clients[0]", client(null, List.of(other), List.of("authorization_code")),
					problems, "http://localhost:8080");
			assertThat(problems).as(other).singleElement().asString().contains("plain http");
		}
		assertThat(problems(console)).as("without the issuer").singleElement().asString().contains("plain http");
	}

	@Test
	void plainHttpOnlyOnLoopbackAddresses() {
		assertThat(problems(client("s", List.of("http://127.0.0.1:3000/cb"), List.of("authorization_code")))).isEmpty();
		assertThat(problems(client("s", List.of("http://[::1]:3000/cb"), List.of("authorization_code")))).isEmpty();
		assertThat(problems(client("s", List.of("http://app.example.com/cb"), List.of("authorization_code"))))
			.singleElement()
			.asString()
			.contains("plain http");
		assertThat(problems(client("s", List.of("http://localhost:3000/cb"), List.of("authorization_code"))))
			.hasSize(1);
	}

	@Test
	void redirectUrisMustBeAbsoluteWithoutFragment() {
		assertThat(problems(client("s", List.of("/cb"), List.of("authorization_code")))).hasSize(1);
		assertThat(problems(client("s", List.of("https://a.example.com/cb#x"), List.of("authorization_code"))))
			.hasSize(1);
		assertThat(problems(client("s", List.of("myapp:/cb"), List.of("authorization_code")))).hasSize(1);
		assertThat(problems(client(null, List.of("com.example.app:/cb"), List.of("authorization_code")))).isEmpty();
	}

	@Test
	void implicitAndPasswordGrantsAreRefused() {
		assertThat(problems(client("s", List.of("https://a.example.com/cb"), List.of("implicit")))).singleElement()
			.asString()
			.contains("OAuth 2.1");
		assertThat(problems(client("s", List.of(), List.of("password")))).hasSize(1);
	}

	@Test
	void publicClientsCannotUseClientCredentials() {
		assertThat(problems(client(null, List.of(), List.of("client_credentials")))).singleElement()
			.asString()
			.contains("public client");
	}

	@Test
	void codeFlowNeedsARedirectUri() {
		assertThat(problems(client("s", List.of(), List.of("authorization_code")))).hasSize(1);
	}

	static ClientDefinition receivers(String eventsEndpoint, String region, String authorization, String logoutUri,
			boolean sessionRequired) {
		return new ClientDefinition("app", "s", null, List.of("https://app.example.com/cb"), List.of(), List.of("openid"),
				List.of("authorization_code"), ClientTier.C, false, List.of(), eventsEndpoint, region, authorization,
				logoutUri, sessionRequired);
	}

	@Test
	void eventAndLogoutReceiversAreHttpsUrls() {
		assertThat(problems(receivers("https://rp.example.com/events", "cn", "Bearer abc",
				"https://rp.example.com/logout", true))).isEmpty();
		assertThat(problems(receivers("http://127.0.0.1:9000/events", "cn", null, "http://[::1]:9000/logout", false)))
			.isEmpty();
		assertThat(problems(receivers("http://rp.example.com/events", "cn", null, null, false))).singleElement()
			.asString()
			.contains("events-endpoint")
			.contains("https");
		assertThat(problems(receivers(null, "cn", null, "https://rp.example.com/logout#x", false))).singleElement()
			.asString()
			.contains("backchannel-logout-uri");
		assertThat(problems(receivers("/events", "cn", null, null, false))).hasSize(1);
		// an app's own scheme may be a redirect URI, never a receiver
		assertThat(problems(receivers("com.example.app:/events", "cn", null, null, false))).singleElement()
			.asString()
			.contains("https");
	}

	@Test
	void receiverSettingsMustFitTogether() {
		assertThat(problems(receivers(null, "cn", "Bearer abc", null, false))).singleElement()
			.asString()
			.contains("events-authorization needs an events-endpoint");
		assertThat(problems(receivers(null, "cn", null, null, true))).singleElement()
			.asString()
			.contains("backchannel-logout-session-required");
		assertThat(problems(receivers("https://rp.example.com/events", "CN!", null, null, false))).singleElement()
			.asString()
			.contains("events-region");
		assertThat(problems(receivers("https://rp.example.com/events", "cn", "Bearer a\nb", null, false)))
			.singleElement()
			.asString()
			.contains("events-authorization");
	}

}
