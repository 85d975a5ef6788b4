package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The end-to-end check, with the real security events (outbox, signed SETs, push delivery): a
 * deletion run with the clock moved past the due date ends with an {@code account-purged} SET received by
 * the client's push endpoint (RFC 8935) and verified there: signature against the gateway's JWKS, {@code aud},
 * {@code events}.
 */
class DeletionSecurityEventsTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final String PURGED = "https://schemas.openid.net/secevent/risc/event-type/account-purged";

	static final String DISABLED = "https://schemas.openid.net/secevent/risc/event-type/account-disabled";

	/** A client's event receiver: keeps every pushed SET and answers 202 Accepted. */
	static final class Receiver {

		final List<String> received = new CopyOnWriteArrayList<>();

		final HttpServer server;

		Receiver() {
			try {
				this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", FreePort.find()), 0);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			this.server.createContext("/events", exchange -> {
				String type = exchange.getRequestHeaders().getFirst("Content-Type");
				this.received.add(type + "\n" + new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
				exchange.sendResponseHeaders(202, -1);
				exchange.close();
			});
			this.server.start();
		}

		String endpoint() {
			return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/events";
		}

	}

	static final Receiver RECEIVER = new Receiver();

	@DynamicPropertySource
	static void receivingClient(DynamicPropertyRegistry registry) {
		// a list property set here replaces the test profile's clients: this context has just this one
		registry.add("tongxing.clients[0].client-id", () -> "receiving-app");
		registry.add("tongxing.clients[0].client-secret", () -> "receiving-secret");
		registry.add("tongxing.clients[0].client-name", () -> "Receiving app");
		registry.add("tongxing.clients[0].redirect-uris[0]", () -> CALLBACK);
		registry.add("tongxing.clients[0].scopes", () -> "openid,profile");
		registry.add("tongxing.clients[0].first-party", () -> "true");
		registry.add("tongxing.clients[0].events-endpoint", RECEIVER::endpoint);
	}

	@AfterAll
	static void stopReceiver() {
		RECEIVER.server.stop(0);
	}

	@Autowired
	MutableClock clock;

	@Autowired
	AccountDeletion deletion;

	@AfterEach
	void realTime() {
		this.clock.reset();
	}

	@Test
	void theAppThatReceivedTheDataGetsAVerifiableAccountPurgedSet() throws Exception {
		TestBrowser browser = browser();
		OAuthClient oauth = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		String name = DeletionGatewayTest.newName();
		URI redirect = browser.authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("receiving-app", CALLBACK, "openid profile", pkce)), name,
				CALLBACK);
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", "receiving-app", "receiving-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"),
						"redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		String userId = SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();

		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.body()).contains("Receiving app");
		browser.submit(page, "/account/delete", Map.of("confirm", "yes"));
		JWTClaimsSet disabled = awaitSet(DISABLED, userId);
		assertThat(disabled.getAudience()).containsExactly("receiving-app");

		this.clock.advance(Duration.ofDays(8));
		assertThat(this.deletion.completeDue()).isGreaterThanOrEqualTo(1);
		JWTClaimsSet purged = awaitSet(PURGED, userId);
		assertThat(purged.getIssuer()).isEqualTo(this.issuer);
		assertThat(purged.getAudience()).containsExactly("receiving-app");
		assertThat(purged.getJSONObjectClaim("events")).containsOnlyKeys(PURGED);
		assertThat(purged.getJSONObjectClaim("sub_id")).containsEntry("format", "iss_sub")
			.containsEntry("iss", this.issuer)
			.containsEntry("sub", userId);
	}

	/** Waits for a pushed SET of the given event about the user, verified as a receiver would. */
	JWTClaimsSet awaitSet(String eventType, String userId) throws Exception {
		JWKSet keys = JWKSet.load(new URL(this.issuer + "/oauth2/jwks"));
		long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < until) {
			for (String delivery : RECEIVER.received) {
				String[] parts = delivery.split("\n", 2);
				Optional<JWTClaimsSet> verified = verify(parts[0], parts[1], keys, eventType, userId);
				if (verified.isPresent()) {
					return verified.get();
				}
			}
			Thread.sleep(200);
		}
		throw new AssertionError("No verified " + eventType + " SET for " + userId + " among " + RECEIVER.received);
	}

	static Optional<JWTClaimsSet> verify(String contentType, String body, JWKSet keys, String eventType,
			String userId) throws Exception {
		SignedJWT set = SignedJWT.parse(body);
		JWTClaimsSet claims = set.getJWTClaimsSet();
		Map<String, Object> subject = claims.getJSONObjectClaim("sub_id");
		if (claims.getJSONObjectClaim("events") == null || !claims.getJSONObjectClaim("events").containsKey(eventType)
				|| subject == null || !userId.equals(subject.get("sub"))) {
			return Optional.empty();
		}
		assertThat(contentType).isEqualTo("application/secevent+jwt");
		assertThat(set.getHeader().getType().toString()).isEqualTo("secevent+jwt");
		RSAKey key = (RSAKey) keys.getKeyByKeyId(set.getHeader().getKeyID());
		assertThat(key).as("the SET's key is in the gateway's JWKS").isNotNull();
		assertThat(set.getState()).isEqualTo(JWSObject.State.SIGNED);
		assertThat(set.verify(new RSASSAVerifier(key))).as("signature").isTrue();
		return Optional.of(claims);
	}

}
