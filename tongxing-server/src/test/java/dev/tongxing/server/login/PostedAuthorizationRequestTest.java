package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An authorization request sent by POST (OpenID Connect Core §3.1.2.1; the OpenID Foundation's
 * {@code oidcc-ensure-post-request-succeeds}) from a browser with no session: after the sign-in it goes on with
 * all its parameters, as a GET one does.
 */
class PostedAuthorizationRequestTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Test
	void aPostedRequestSurvivesTheSignIn() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce);
		params.put("nonce", "n-posted é&=");

		HttpResponse<String> login = browser.follow(browser.post("/oauth2/authorize", params), CALLBACK);
		assertThat(login.uri().getPath()).isEqualTo("/login");
		HttpResponse<String> devPage = browser.get("/login/dev");
		HttpResponse<String> last = browser.follow(browser.submit(devPage, "/login/dev", Map.of("username", "posted")),
				CALLBACK);
		String location = last.headers().firstValue("Location").orElse(null);
		assertThat(location).as("HTTP %s at %s", last.statusCode(), last.uri()).startsWith(CALLBACK);
		Map<String, String> back = TestBrowser.query(URI.create(location));
		assertThat(back).containsEntry("state", params.get("state")).containsKey("code").doesNotContainKey("error");

		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", back.get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(com.nimbusds.jwt.SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaim("nonce"))
			.isEqualTo("n-posted é&=");
	}

}
