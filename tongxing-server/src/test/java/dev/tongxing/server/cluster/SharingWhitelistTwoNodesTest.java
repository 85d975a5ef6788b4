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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A client's data-sharing whitelist changed on one node is obeyed by the other within a second, without a
 * restart: userinfo and new ID tokens stop carrying what was taken off, and every release is audited.
 */
class SharingWhitelistTwoNodesTest {

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

	@Test
	void aWhitelistChangeOnOneNodeIsObeyedByTheOtherWithinASecond() throws Exception {
		OAuthClient onA = new OAuthClient(a.url());
		OAuthClient onB = new OAuthClient(b.url());
		Pkce pkce = Pkce.create();
		URI redirect = new TestBrowser(a.url())
			.authorize(onA.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce)),
					"sharon", CALLBACK);
		Reply tokens = onA.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", TestBrowser.query(redirect).get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getStringClaim("name")).isEqualTo("sharon");
		assertThat(onB.get("/userinfo", tokens.string("access_token")).json()).containsEntry("name", "sharon");

		// the operator takes "name" off live-web's whitelist, on node A
		HttpResponse<String> changed = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(a.url() + "/admin/api/clients/live-web/sharing"))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.header("Content-Type", "application/json")
				.PUT(HttpRequest.BodyPublishers.ofString(
						"{\"scopes\":[\"openid\",\"profile\",\"phone\",\"offline_access\"],\"claims\":[\"phone_number\"]}"))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(changed.statusCode()).isEqualTo(200);
		long changedAt = System.nanoTime();

		// node B: within a second, nothing about "name" flows any more — not in userinfo, not in new ID tokens
		// polled every 20 ms: userinfo shares the client's introspection bucket (tier C, 100 per second), and a
		// tighter loop would be throttled instead of answered
		Map<String, Object> userinfo;
		do {
			Thread.sleep(20);
			userinfo = onB.get("/userinfo", tokens.string("access_token")).json();
		}
		while ((!userinfo.containsKey("sub") || userinfo.containsKey("name"))
				&& System.nanoTime() - changedAt < 1_000_000_000L);
		assertThat(userinfo).containsKey("sub").doesNotContainKey("name");
		assertThat((System.nanoTime() - changedAt) / 1_000_000).isLessThan(1100);
		Reply refreshed = onB.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
		assertThat(SignedJWT.parse(refreshed.string("id_token")).getJWTClaimsSet().getClaims()).doesNotContainKey("name");

		// every release so far is in the audit log, by claim name only
		try (var c = nodes.postgres().connect()) {
			ResultSet rs = c.createStatement().executeQuery(
					"SELECT details FROM audit_entry WHERE type = 'personal-data.released' AND client_id = 'live-web'");
			int releases = 0;
			while (rs.next()) {
				releases++;
				assertThat(rs.getString(1)).doesNotContain("sharon");
			}
			assertThat(releases).isGreaterThanOrEqualTo(2);
		}
	}

}
