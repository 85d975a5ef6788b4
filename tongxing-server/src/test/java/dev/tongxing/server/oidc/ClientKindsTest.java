package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.ConsentPages;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Public (native) clients, machine clients, third-party clients with consent, and pushed requests. */
class ClientKindsTest extends GatewayTest {

	static final String APP_CALLBACK = "com.example.live:/oauth2redirect";

	OAuthClient oauth;

	@BeforeEach
	void client() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@Test
	void publicClientUsesPkceAndRotatesRefreshTokensWithoutASecret() {
		Pkce pkce = Pkce.create();
		URI redirect = browser().authorize(this.oauth.authorizeUri(
				OAuthClient.authorizeParams("mobile", APP_CALLBACK, "openid offline_access", pkce)), "carol",
				APP_CALLBACK);
		assertThat(redirect.toString()).startsWith(APP_CALLBACK);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("client_id", "mobile");
		form.put("code", TestBrowser.query(redirect).get("code"));
		form.put("redirect_uri", APP_CALLBACK);
		form.put("code_verifier", pkce.verifier());
		Reply tokens = this.oauth.post("/oauth2/token", null, null, form);
		assertThat(tokens.status()).isEqualTo(200);
		String rt1 = tokens.string("refresh_token");
		assertThat(rt1).isNotBlank();

		Reply refreshed = this.oauth.post("/oauth2/token", null, null,
				Map.of("grant_type", "refresh_token", "client_id", "mobile", "refresh_token", rt1));
		assertThat(refreshed.status()).isEqualTo(200);
		String rt2 = refreshed.string("refresh_token");
		assertThat(rt2).isNotEqualTo(rt1);

		// another client cannot redeem it
		Reply stolen = this.oauth.post("/oauth2/token", null, null,
				Map.of("grant_type", "refresh_token", "client_id", "demo", "refresh_token", rt2));
		assertThat(stolen.error()).isEqualTo("invalid_grant");

		// the app revokes its own token on sign-out, identified by client_id only (RFC 7009)
		Reply revoked = this.oauth.post("/oauth2/revoke", null, null, Map.of("client_id", "mobile", "token", rt2));
		assertThat(revoked.status()).isEqualTo(200);
		Reply after = this.oauth.post("/oauth2/token", null, null,
				Map.of("grant_type", "refresh_token", "client_id", "mobile", "refresh_token", rt2));
		assertThat(after.error()).isEqualTo("invalid_grant");
	}

	@Test
	void publicClientCannotUseClientCredentialsOrIntrospect() {
		Reply cc = this.oauth.post("/oauth2/token", null, null,
				Map.of("grant_type", "client_credentials", "client_id", "mobile"));
		assertThat(cc.status()).isEqualTo(401);
		assertThat(cc.error()).isEqualTo("invalid_client");
		Reply introspect = this.oauth.post("/oauth2/introspect", null, null, Map.of("client_id", "mobile", "token", "x"));
		assertThat(introspect.status()).isEqualTo(401);
	}

	@Test
	void clientCredentialsGivesAnRs256AccessTokenForTheClientItself() throws Exception {
		Reply reply = this.oauth.post("/oauth2/token", "backend", "backend-secret",
				Map.of("grant_type", "client_credentials", "scope", "internal.read"));
		assertThat(reply.status()).isEqualTo(200);
		assertThat(reply.json().get("expires_in")).isEqualTo(7200L);
		assertThat(reply.json()).doesNotContainKey("refresh_token").doesNotContainKey("id_token");
		SignedJWT jwt = SignedJWT.parse(reply.string("access_token"));
		assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("RS256");
		assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("backend");
		assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo(this.issuer);

		// a scope the client was not registered for is refused
		Reply wrongScope = this.oauth.post("/oauth2/token", "backend", "backend-secret",
				Map.of("grant_type", "client_credentials", "scope", "openid admin"));
		assertThat(wrongScope.error()).isEqualTo("invalid_scope");
	}

	@Test
	void thirdPartyClientAsksForConsentOnAFramelessPage() {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("partner", "https://partner.example.com/cb",
				"openid profile", pkce);
		HttpResponse<String> consent = browser.follow(browser.get(this.oauth.authorizeUri(params).toString()), null);
		if (consent.uri().getPath().equals("/login")) {
			consent = browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", "dave")),
					"https://partner.example.com");
		}
		assertThat(consent.statusCode()).isEqualTo(200);
		assertThat(consent.body()).contains("partner").contains("profile");
		assertThat(consent.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(consent.headers().firstValue("Content-Security-Policy").orElse(""))
			.contains("frame-ancestors 'none'");
		assertThat(consent.body()).contains("data-testid=\"consent\"").contains("data-consent-item=\"third-party-sharing\"");
		HttpResponse<String> back = ConsentPages.approve(browser, consent, "profile");
		URI redirect = back.uri().resolve(back.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith("https://partner.example.com/cb?code=");
		assertThat(TestBrowser.query(redirect).get("iss")).isEqualTo(this.issuer);
	}

	@Test
	void pushedAuthorizationRequest() {
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", OAuthErrorsTest.CALLBACK, "openid",
				pkce);
		Reply pushed = this.oauth.post("/oauth2/par", "live-web", "s3cret", params);
		assertThat(pushed.status()).isEqualTo(201);
		String requestUri = pushed.string("request_uri");
		assertThat(requestUri).startsWith("urn:ietf:params:oauth:request_uri:");
		URI redirect = browser().authorize(URI.create(this.issuer + "/oauth2/authorize?client_id=live-web&request_uri="
				+ java.net.URLEncoder.encode(requestUri, java.nio.charset.StandardCharsets.UTF_8)), "erin",
				OAuthErrorsTest.CALLBACK);
		Map<String, String> query = TestBrowser.query(redirect);
		assertThat(query.get("state")).isEqualTo(params.get("state"));
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", query.get("code"), "redirect_uri",
						OAuthErrorsTest.CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(tokens.string("id_token")).isNotBlank();
	}

	static String find(String body, String regex) {
		var m = java.util.regex.Pattern.compile(regex).matcher(body);
		assertThat(m.find()).as("%s in page", regex).isTrue();
		return m.group(1);
	}

}
