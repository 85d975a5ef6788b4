package dev.tongxing.server.events;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway with clients whose receivers are one {@link TestReceiver}: {@code rp-one} (events with an
 * Authorization header, back-channel logout with sub), {@code rp-two} (events, logout requiring sid),
 * {@code rp-abroad} (events receiver outside the allowed regions), {@code rp-quiet} (no receivers). Fast
 * delivery settings; at most four attempts.
 */
abstract class EventsGatewayTest extends GatewayTest {

	static final TestReceiver RECEIVER = new TestReceiver(FreePort.find());

	@DynamicPropertySource
	static void receivers(DynamicPropertyRegistry registry) {
		List<String> clients = List.of("rp-one", "rp-two", "rp-abroad", "rp-quiet");
		for (int i = 0; i < clients.size(); i++) {
			String id = clients.get(i);
			String p = "tongxing.clients[" + i + "].";
			registry.add(p + "client-id", () -> id);
			registry.add(p + "client-secret", () -> id + "-secret");
			registry.add(p + "redirect-uris[0]", () -> "http://127.0.0.1:3000/" + id);
			registry.add(p + "scopes", () -> "openid,profile,phone,offline_access");
			registry.add(p + "grant-types", () -> "authorization_code,refresh_token");
			registry.add(p + "first-party", () -> "true");
			if (!id.equals("rp-quiet")) {
				registry.add(p + "events-endpoint", () -> RECEIVER.url() + "/" + id + "/events");
			}
		}
		registry.add("tongxing.clients[0].events-authorization", () -> "Bearer rp-one-token");
		registry.add("tongxing.clients[0].backchannel-logout-uri", () -> RECEIVER.url() + "/rp-one/logout");
		registry.add("tongxing.clients[1].backchannel-logout-uri", () -> RECEIVER.url() + "/rp-two/logout");
		registry.add("tongxing.clients[1].backchannel-logout-session-required", () -> "true");
		registry.add("tongxing.clients[2].events-region", () -> "us");
		registry.add("tongxing.events.poll-interval", () -> "100ms");
		registry.add("tongxing.events.initial-backoff", () -> "200ms");
		registry.add("tongxing.events.max-backoff", () -> "400ms");
		registry.add("tongxing.events.max-attempts", () -> "4");
		registry.add("tongxing.events.connect-timeout", () -> "1s");
		registry.add("tongxing.events.request-timeout", () -> "1s");
		registry.add("tongxing.events.lease", () -> "5s");
	}

	@BeforeEach
	void freshReceiver() {
		RECEIVER.reset();
		RECEIVER.trust(this.issuer);
	}

	/** Signs a new test user in to the client through a browser; returns the user's id (the token's sub). */
	String signIn(TestBrowser browser, String clientId, String user) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		String redirect = "http://127.0.0.1:3000/" + clientId;
		URI back = browser.authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams(clientId, redirect, "openid profile offline_access", pkce)),
				user, redirect);
		Reply tokens = oauth.post("/oauth2/token", clientId, clientId + "-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri",
						redirect, "code_verifier", pkce.verifier()));
		if (tokens.status() != 200) {
			throw new AssertionError("token request failed: " + tokens.body());
		}
		try {
			return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String newUserName() {
		return "ev" + java.util.UUID.randomUUID().toString().substring(0, 8);
	}

}
