package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Userinfo takes the access token in a POST's form body too (RFC 6750 §2.2, allowed by OpenID Connect Core §5.3.1;
 * the OpenID Foundation's {@code oidcc-userinfo-post-body}), never in the query.
 */
class UserInfoBodyTokenTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Test
	void theTokenMayComeInTheFormBody() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce);
		String code = TestBrowser.query(browser().authorize(oauth.authorizeUri(params), "body-token", CALLBACK)).get("code");
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", code, "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		String accessToken = tokens.string("access_token");

		HttpResponse<String> inBody = post("/userinfo", "access_token=" + accessToken);
		assertThat(inBody.statusCode()).as(inBody.body()).isEqualTo(200);
		assertThat(inBody.body()).contains("\"sub\"").contains("\"name\":\"body-token\"");

		HttpResponse<String> inQuery = post("/userinfo?access_token=" + accessToken, "");
		assertThat(inQuery.statusCode()).isEqualTo(401);
		// the token endpoint's body is its own: an access_token field there is no bearer token
		HttpResponse<String> atToken = post("/oauth2/introspect", "access_token=" + accessToken);
		assertThat(atToken.statusCode()).isEqualTo(401);
	}

	private HttpResponse<String> post(String path, String form) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.header("Accept", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(form))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

}
