package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A confidential client configured with {@code require-pkce: false} (as a conformance suite's clients are): no
 * PKCE needed, a nonce instead; audited at start-up. Every other client still needs PKCE.
 */
class ClientWithoutPkceTest extends GatewayTest {

	static final String CALLBACK = "https://rp.example.com/callback";

	@DynamicPropertySource
	static void clients(DynamicPropertyRegistry registry) {
		registry.add("tongxing.clients[0].client-id", () -> "suite");
		registry.add("tongxing.clients[0].client-secret", () -> "suite-secret");
		registry.add("tongxing.clients[0].redirect-uris", () -> CALLBACK);
		registry.add("tongxing.clients[0].scopes", () -> "openid,profile,suite.api");
		registry.add("tongxing.clients[0].first-party", () -> "true");
		registry.add("tongxing.clients[0].require-pkce", () -> "false");
		registry.add("tongxing.clients[1].client-id", () -> "strict");
		registry.add("tongxing.clients[1].client-secret", () -> "strict-secret");
		registry.add("tongxing.clients[1].redirect-uris", () -> CALLBACK);
		registry.add("tongxing.clients[1].first-party", () -> "true");
		registry.add("tongxing.clients[2].client-id", () -> "certify");
		registry.add("tongxing.clients[2].client-secret", () -> "certify-secret");
		registry.add("tongxing.clients[2].redirect-uris", () -> CALLBACK);
		registry.add("tongxing.clients[2].first-party", () -> "true");
		registry.add("tongxing.clients[2].require-pkce", () -> "false");
		registry.add("tongxing.clients[2].require-nonce", () -> "false");
		registry.add("tongxing.clients[3].client-id", () -> "nonce-always");
		registry.add("tongxing.clients[3].client-secret", () -> "nonce-always-secret");
		registry.add("tongxing.clients[3].redirect-uris", () -> CALLBACK);
		registry.add("tongxing.clients[3].first-party", () -> "true");
		registry.add("tongxing.clients[3].require-nonce", () -> "true");
	}

	@Autowired
	JdbcClient jdbc;

	@Test
	void aNonceStandsInForPkce() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		TestBrowser browser = browser();
		Map<String, String> params = OAuthClient.authorizeParams("suite", CALLBACK, "openid profile", null);
		params.put("nonce", "n-1");
		URI back = browser.authorize(oauth.authorizeUri(params), "alice", CALLBACK);
		String code = TestBrowser.query(back).get("code");
		assertThat(code).isNotNull();
		Reply tokens = oauth.post("/oauth2/token", "suite", "suite-secret",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaim("nonce")).isEqualTo("n-1");

		// without a nonce: refused, back at the client
		Map<String, String> noNonce = OAuthClient.authorizeParams("suite", CALLBACK, "openid", null);
		URI refused = browser.authorize(oauth.authorizeUri(noNonce), "alice", CALLBACK);
		assertThat(TestBrowser.query(refused)).containsEntry("error", "invalid_request").doesNotContainKey("code");
		assertThat(TestBrowser.query(refused).get("error_description")).contains("nonce");

		// PKCE still works for it, and every other client still needs it
		Map<String, String> withPkce = OAuthClient.authorizeParams("suite", CALLBACK, "openid", Pkce.create());
		withPkce.put("nonce", "n-2");
		assertThat(TestBrowser.query(browser.authorize(oauth.authorizeUri(withPkce), "alice", CALLBACK))).containsKey("code");
		Map<String, String> strict = OAuthClient.authorizeParams("strict", CALLBACK, "openid", null);
		strict.put("nonce", "n-3");
		assertThat(TestBrowser.query(browser.authorize(oauth.authorizeUri(strict), "alice", CALLBACK)))
			.containsEntry("error", "invalid_request");
	}

	@Test
	void theStartUpIsAuditedAndDiscoveryListsTheClientsScopes() {
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'client.pkce-not-required' AND client_id = 'suite'")
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'client.pkce-not-required' AND client_id = 'strict'")
			.query(Long.class)
			.single()).isZero();
		Reply discovery = new OAuthClient(this.issuer).get("/.well-known/openid-configuration", null);
		assertThat(discovery.json().get("scopes_supported").toString()).contains("suite.api").contains("offline_access");
	}

	/**
	 * OIDC Core makes the nonce optional in the code flow, and the OpenID conformance suite checks that
	 * ({@code oidcc-ensure-request-without-nonce-succeeds-for-code-flow}, sent without PKCE): a client configured with
	 * both off gets its code, and its start-up entry says so.
	 */
	@Test
	void aClientConfiguredWithNeitherPkceNorNonceGetsItsCodeAndIsAuditedAsSuch() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		TestBrowser browser = browser();
		URI back = browser.authorize(oauth.authorizeUri(OAuthClient.authorizeParams("certify", CALLBACK, "openid", null)),
				"alice", CALLBACK);
		String code = TestBrowser.query(back).get("code");
		assertThat(code).as(back.toString()).isNotNull();
		Reply tokens = oauth.post("/oauth2/token", "certify", "certify-secret",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaim("nonce")).isNull();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'client.pkce-not-required' "
				+ "AND client_id = 'certify' AND details LIKE '%nonce-required%false%'").query(Long.class).single())
			.isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'client.pkce-not-required' "
				+ "AND client_id = 'suite' AND details LIKE '%nonce-required%true%'").query(Long.class).single())
			.isGreaterThanOrEqualTo(1);
	}

	@Test
	void aClientThatMustSendANonceIsRefusedWithoutOneEvenWithPkce() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		TestBrowser browser = browser();
		URI refused = browser.authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("nonce-always", CALLBACK, "openid", Pkce.create())), "alice",
				CALLBACK);
		assertThat(TestBrowser.query(refused)).containsEntry("error", "invalid_request").doesNotContainKey("code");
		Map<String, String> withNonce = OAuthClient.authorizeParams("nonce-always", CALLBACK, "openid", Pkce.create());
		withNonce.put("nonce", "n-4");
		assertThat(TestBrowser.query(browser.authorize(oauth.authorizeUri(withNonce), "alice", CALLBACK))).containsKey("code");
	}

}
