package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * API endpoints called without a usable token answer as RFC 6750 says (401, {@code WWW-Authenticate: Bearer})
 * in our own words, never send anyone to the login page, and never create a session.
 */
class ApiEndpointsTest extends GatewayTest {

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	HttpResponse<String> call(String method, String path, String accept, String authorization) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
		if (accept != null) {
			request.header("Accept", accept);
		}
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void userinfoWithoutATokenIsABearerChallengeWithoutASession() throws Exception {
		for (String method : new String[] { "GET", "POST" }) {
			for (String accept : new String[] { null, "*/*", "text/html", "application/json" }) {
				HttpResponse<String> response = call(method, "/userinfo", accept, null);
				String what = method + " /userinfo Accept=" + accept;
				assertThat(response.statusCode()).as(what).isEqualTo(401);
				assertThat(response.headers().firstValue("WWW-Authenticate")).as(what)
					.hasValue("Bearer realm=\"tongxing\"");
				assertThat(response.headers().firstValue("Location")).as(what).isEmpty();
				assertThat(response.headers().allValues("Set-Cookie")).as(what).isEmpty();
			}
		}
	}

	@Test
	void clientEndpointsCalledWithoutCredentialsCreateNoSession() throws Exception {
		for (String path : new String[] { "/oauth2/token", "/oauth2/introspect", "/oauth2/revoke", "/oauth2/par" }) {
			for (String method : new String[] { "GET", "POST" }) {
				for (String accept : new String[] { null, "text/html" }) {
					HttpResponse<String> response = call(method, path, accept, null);
					String what = method + " " + path + " Accept=" + accept;
					if (path.equals("/oauth2/par") && method.equals("POST")) {
						// an empty pushed request is refused before anyone authenticates
						assertThat(response.statusCode()).as(what).isEqualTo(400);
					}
					else {
						assertThat(response.statusCode()).as(what).isEqualTo(401);
						assertThat(response.headers().firstValue("WWW-Authenticate")).as(what).isPresent();
					}
					assertThat(response.headers().firstValue("Location")).as(what).isEmpty();
					assertThat(response.headers().allValues("Set-Cookie")).as(what).isEmpty();
				}
			}
		}
	}

	@Test
	void unknownPathsUnderTheProtocolEndpointsCreateNoSession() throws Exception {
		HttpResponse<String> response = call("GET", "/oauth2/token/extra", "text/html", null);
		assertThat(response.statusCode()).isLessThan(500);
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

	@Test
	void aBadTokenIsDescribedInOurOwnWords() throws Exception {
		String forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln";
		for (String token : new String[] { "not-a-token", forged, "a.b.c" }) {
			HttpResponse<String> response = call("GET", "/userinfo", "application/json", "Bearer " + token);
			assertThat(response.statusCode()).isEqualTo(401);
			String challenge = response.headers().firstValue("WWW-Authenticate").orElseThrow();
			assertThat(challenge).isEqualTo("Bearer realm=\"tongxing\", error=\"invalid_token\", "
					+ "error_description=\"The access token is invalid, expired or revoked\"");
			assertThat(response.body()).doesNotContainIgnoringCase("jwt").doesNotContainIgnoringCase("decode");
			assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
		}
	}

	@Test
	void aRevokedTokenAtUserinfoIsAChallengeToo() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		// a client-credentials token is a valid JWT, but userinfo serves people only
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "client_credentials"));
		assertThat(tokens.status()).isEqualTo(200);
		HttpResponse<String> response = call("GET", "/userinfo", "application/json",
				"Bearer " + tokens.string("access_token"));
		assertThat(response.statusCode()).isIn(401, 403);
		assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
				challenge -> assertThat(challenge).startsWith("Bearer realm=\"tongxing\", error=\""));
		assertThat(response.headers().allValues("Set-Cookie")).isEmpty();
	}

}
