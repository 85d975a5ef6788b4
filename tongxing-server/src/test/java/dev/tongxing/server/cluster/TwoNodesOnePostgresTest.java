package dev.tongxing.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TwoNodes;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two gateway nodes on one real PostgreSQL: every step of a login may land on either node, because no
 * authorization state (sessions, saved requests, codes, PKCE challenges, refresh tokens, keys) lives in a
 * node's memory.
 */
class TwoNodesOnePostgresTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static TwoNodes nodes;

	static GatewayNode a;

	static GatewayNode b;

	@BeforeAll
	static void startNodes() {
		nodes = TwoNodes.start();
		a = nodes.a();
		b = nodes.b();
	}

	@AfterAll
	static void stopNodes() throws Exception {
		if (nodes != null) {
			nodes.close();
		}
	}

	static URI onNode(GatewayNode node, URI uri) {
		URI base = URI.create(node.url());
		return URI.create(base.getScheme() + "://" + base.getAuthority() + uri.getRawPath()
				+ (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
	}

	@Test
	void aLoginBegunOnOneNodeFinishesOnTheOther() throws Exception {
		TestBrowser browser = new TestBrowser(a.url());
		OAuthClient onA = new OAuthClient(a.url());
		OAuthClient onB = new OAuthClient(b.url());
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile offline_access",
				pkce);

		// 1. node A: the authorization request is saved in the session and the browser sent to log in
		HttpResponse<String> toLogin = browser.get(onA.authorizeUri(params).toString());
		assertThat(toLogin.statusCode()).isEqualTo(302);
		assertThat(toLogin.headers().firstValue("Location").orElseThrow()).endsWith("/login");

		// 2. node B: the login form is rendered and submitted (session and CSRF token come from the database)
		HttpResponse<String> devPage = browser.get(b.url() + "/login/dev");
		HttpResponse<String> signedIn = browser.submit(devPage, b.url() + "/login/dev", Map.of("username", "grace"));
		assertThat(signedIn.statusCode()).isEqualTo(302);
		URI savedRequest = URI.create(signedIn.headers().firstValue("Location").orElseThrow());
		assertThat(savedRequest.getPath()).isEqualTo("/oauth2/authorize");

		// 3. node B again: it continues the request node A saved and issues the code
		HttpResponse<String> toClient = browser.get(onNode(b, savedRequest).toString());
		assertThat(toClient.statusCode()).isEqualTo(302);
		URI redirect = URI.create(toClient.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith(CALLBACK);
		Map<String, String> query = TestBrowser.query(redirect);
		assertThat(query.get("state")).isEqualTo(params.get("state"));

		// 4. node A: the code and its PKCE challenge are found and exchanged
		Map<String, String> exchange = new LinkedHashMap<>();
		exchange.put("grant_type", "authorization_code");
		exchange.put("code", query.get("code"));
		exchange.put("redirect_uri", CALLBACK);
		exchange.put("code_verifier", pkce.verifier());
		Reply tokens = onA.post("/oauth2/token", "live-web", "s3cret", exchange);
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getIssuer())
			.isEqualTo(a.url());

		// 5. node B: refresh (rotation recorded in the database) and userinfo with A's access token
		Reply refreshed = onB.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
		assertThat(refreshed.status()).isEqualTo(200);
		Reply userinfo = onB.get("/userinfo", refreshed.string("access_token"));
		assertThat(userinfo.status()).as(() -> userinfo.headers().map().toString()).isEqualTo(200);

		// 6. node A: the rotated-out refresh token is recognised as reuse and the family revoked everywhere
		Reply reuse = onA.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
		assertThat(reuse.error()).isEqualTo("invalid_grant");
		Reply introspection = onB.post("/oauth2/introspect", "live-web", "s3cret",
				Map.of("token", refreshed.string("access_token")));
		assertThat(introspection.json()).containsEntry("active", false);
	}

	@Test
	void bothNodesSignWithTheSameKeysAndSeeRotations() throws Exception {
		OAuthClient onA = new OAuthClient(a.url());
		OAuthClient onB = new OAuthClient(b.url());
		String kidA = kid(onA);
		assertThat(kid(onB)).isEqualTo(kidA);
		String rotated = a.bean(dev.tongxing.server.oidc.keys.SigningKeys.class).rotate();
		// a token signed on A with the new key verifies on B at once (B re-reads keys for an unknown kid)
		Reply token = onA.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"));
		assertThat(SignedJWT.parse(token.string("access_token")).getHeader().getKeyID()).isEqualTo(rotated);
		Reply introspected = onB.post("/oauth2/introspect", "backend", "backend-secret",
				Map.of("token", token.string("access_token")));
		assertThat(introspected.json()).containsEntry("active", true);
		// B's published JWKS follows within its refresh interval (tongxing.keys.refresh-interval)
		assertThat(new OAuthClient(a.url()).get("/oauth2/jwks", null).body()).contains(rotated).contains(kidA);
	}

	static String kid(OAuthClient node) throws Exception {
		Reply reply = node.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"));
		return SignedJWT.parse(reply.string("access_token")).getHeader().getKeyID();
	}

}
