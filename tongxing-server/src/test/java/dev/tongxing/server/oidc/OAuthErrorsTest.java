package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
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

/** Every way a client can get the protocol wrong, each with its exact OAuth error and never a 500. */
class OAuthErrorsTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	OAuthClient oauth;

	@BeforeEach
	void client() {
		this.oauth = new OAuthClient(this.issuer);
	}

	/** Signs alice in and returns the code for a PKCE authorization request of live-web. */
	String code(Pkce pkce) {
		URI redirect = browser().authorize(this.oauth.authorizeUri(
				OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile offline_access", pkce)), "alice",
				CALLBACK);
		return TestBrowser.query(redirect).get("code");
	}

	Reply exchange(String code, String verifier) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", CALLBACK);
		form.put("code_verifier", verifier);
		return this.oauth.post("/oauth2/token", "live-web", "s3cret", form);
	}

	Reply refresh(String refreshToken) {
		return this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", refreshToken));
	}

	boolean active(String token) {
		Reply reply = this.oauth.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", token));
		assertThat(reply.status()).isEqualTo(200);
		return Boolean.TRUE.equals(reply.json().get("active"));
	}

	Map<String, String> authorizeError(Map<String, String> params) {
		URI redirect = browser().authorize(this.oauth.authorizeUri(params), "alice", CALLBACK);
		Map<String, String> query = TestBrowser.query(redirect);
		assertThat(query).containsKey("error").doesNotContainKey("code");
		assertThat(query.get("iss")).isEqualTo(this.issuer);
		return query;
	}

	@Test
	void missingPkceIsRefusedForAConfidentialClient() {
		Map<String, String> query = authorizeError(
				OAuthClient.authorizeParams("live-web", CALLBACK, "openid", null));
		assertThat(query.get("error")).isEqualTo("invalid_request");
		assertThat(query.get("error_description")).contains("code_challenge");
	}

	@Test
	void plainPkceIsRefused() {
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create());
		params.put("code_challenge", "a-plain-challenge-that-is-long-enough-to-look-real-1234567");
		params.put("code_challenge_method", "plain");
		assertThat(authorizeError(params).get("error")).isEqualTo("invalid_request");
	}

	@Test
	void wrongVerifierIsInvalidGrant() {
		String code = code(Pkce.create());
		Reply reply = exchange(code, Pkce.create().verifier());
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error()).isEqualTo("invalid_grant");
	}

	@Test
	void missingVerifierIsInvalidGrant() {
		String code = code(Pkce.create());
		Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK);
		Reply reply = this.oauth.post("/oauth2/token", "live-web", "s3cret", form);
		assertThat(reply.error()).isEqualTo("invalid_grant");
	}

	@Test
	void replayedCodeFailsAndRevokesWhatItIssued() {
		Pkce pkce = Pkce.create();
		String code = code(pkce);
		Reply first = exchange(code, pkce.verifier());
		assertThat(first.status()).isEqualTo(200);
		String accessToken = first.string("access_token");
		String refreshToken = first.string("refresh_token");
		assertThat(active(accessToken)).isTrue();

		Reply replay = exchange(code, pkce.verifier());
		assertThat(replay.status()).isEqualTo(400);
		assertThat(replay.error()).isEqualTo("invalid_grant");
		assertThat(active(accessToken)).isFalse();
		assertThat(refresh(refreshToken).error()).isEqualTo("invalid_grant");
	}

	@Test
	void unregisteredRedirectUriIsShownToThePersonNotRedirected() {
		Map<String, String> params = OAuthClient.authorizeParams("live-web", "http://127.0.0.1:3000/elsewhere",
				"openid", Pkce.create());
		HttpResponse<String> page = browser().get(this.oauth.authorizeUri(params).toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Location")).isEmpty();
		assertThat(page.body()).contains("data-testid=\"oauth-error\"").contains("invalid_request");
		assertThat(page.body()).doesNotContain("Exception").doesNotContain("at org.");
	}

	@Test
	void redirectUriMustMatchExactlyAtTheTokenEndpoint() {
		Pkce pkce = Pkce.create();
		String code = code(pkce);
		Map<String, String> form = Map.of("grant_type", "authorization_code", "code", code, "redirect_uri",
				CALLBACK + "/other", "code_verifier", pkce.verifier());
		assertThat(this.oauth.post("/oauth2/token", "live-web", "s3cret", form).error()).isEqualTo("invalid_grant");
	}

	@Test
	void reusedRefreshTokenRevokesTheWholeFamily() {
		Pkce pkce = Pkce.create();
		Reply tokens = exchange(code(pkce), pkce.verifier());
		String rt1 = tokens.string("refresh_token");
		Reply rotated = refresh(rt1);
		assertThat(rotated.status()).isEqualTo(200);
		String rt2 = rotated.string("refresh_token");
		String at2 = rotated.string("access_token");
		assertThat(rt2).isNotEqualTo(rt1);
		assertThat(active(at2)).isTrue();

		Reply reuse = refresh(rt1);
		assertThat(reuse.status()).isEqualTo(400);
		assertThat(reuse.error()).isEqualTo("invalid_grant");
		// the legitimate holder's tokens are gone too: the family is revoked
		assertThat(refresh(rt2).error()).isEqualTo("invalid_grant");
		assertThat(active(at2)).isFalse();
	}

	@Test
	void unknownClientIsInvalidClient() {
		Reply reply = this.oauth.post("/oauth2/token", "nobody", "whatever", Map.of("grant_type", "client_credentials"));
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.error()).isEqualTo("invalid_client");

		HttpResponse<String> page = browser().get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("nobody", CALLBACK, "openid", Pkce.create()))
			.toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void wrongSecretIsInvalidClient() {
		Reply reply = this.oauth.post("/oauth2/token", "live-web", "not-the-secret",
				Map.of("grant_type", "client_credentials"));
		assertThat(reply.status()).isEqualTo(401);
		assertThat(reply.error()).isEqualTo("invalid_client");
	}

	@Test
	void passwordAndImplicitGrantsDoNotExist() {
		Reply password = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "password", "username", "alice", "password", "x"));
		assertThat(password.error()).isEqualTo("unsupported_grant_type");

		Map<String, String> implicit = OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create());
		implicit.put("response_type", "token");
		HttpResponse<String> page = browser().get(this.oauth.authorizeUri(implicit).toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Location")).isEmpty();
	}

	@Test
	void grantNotRegisteredForTheClientIsUnauthorizedClient() {
		Reply reply = this.oauth.post("/oauth2/token", "partner", "partner-secret",
				Map.of("grant_type", "client_credentials"));
		assertThat(reply.error()).isEqualTo("unauthorized_client");
	}

	@Test
	void malformedParametersAreInvalidRequest() {
		// duplicated parameter
		Reply duplicated = this.oauth.postRaw("/oauth2/token", "live-web", "s3cret",
				"grant_type=client_credentials&grant_type=client_credentials");
		assertThat(duplicated.status()).isEqualTo(400);
		assertThat(duplicated.error()).isEqualTo("invalid_request");
		// no grant type at all
		Reply missing = this.oauth.postRaw("/oauth2/token", "live-web", "s3cret", "scope=openid");
		assertThat(missing.error()).isEqualTo("invalid_request");
		// oversized parameter
		Reply oversized = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", "x".repeat(10_000)));
		assertThat(oversized.status()).isEqualTo(400);
		assertThat(oversized.error()).isEqualTo("invalid_request");
		// broken percent-encoding
		Reply broken = this.oauth.postRaw("/oauth2/token", "live-web", "s3cret", "grant_type=%zz&code=%");
		assertThat(broken.status()).isEqualTo(400);
	}

	@Test
	void oversizedAuthorizationRequestShowsAnErrorPage() {
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create());
		params.put("state", "s".repeat(5000));
		HttpResponse<String> page = browser().get(this.oauth.authorizeUri(params).toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.body()).contains("invalid_request").doesNotContain("Exception");
	}

	@Test
	void garbageNeverProducesAServerError() {
		String[] paths = { "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/par", "/userinfo",
				"/connect/logout", "/oauth2/authorize", "/oauth2/jwks", "/login/dev" };
		String[] bodies = { "", "=", "&&&", "grant_type=authorization_code&code=", "token=", "%", "a=%E4%B8",
				"grant_type=refresh_token&refresh_token=" + "r".repeat(300), "client_id=live-web&client_secret=",
				"grant_type=urn:ietf:params:oauth:grant-type:token-exchange&subject_token=x" };
		for (String path : paths) {
			for (String body : bodies) {
				for (String secret : new String[] { null, "s3cret", "wrong" }) {
					Reply reply = this.oauth.postRaw(path, "live-web", secret, body);
					assertThat(reply.status()).as("POST %s [%s] secret=%s", path, body, secret).isLessThan(500);
					assertThat(reply.body()).as("POST %s [%s]", path, body)
						.doesNotContain("Exception")
						.doesNotContain("\tat ");
				}
			}
			Reply get = this.oauth.get(path + "?x=%E4%B8&client_id=live-web&response_type=code", "not-a-token");
			assertThat(get.status()).as("GET %s", path).isLessThan(500);
		}
	}

}
