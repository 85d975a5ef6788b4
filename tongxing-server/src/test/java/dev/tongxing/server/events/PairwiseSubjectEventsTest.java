package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A pairwise client among the event receivers ({@code rp-pairwise}, {@code subject-type: pairwise}): its logout
 * tokens and its Security Event Tokens (account-disabled, session-revoked, account-purged) name the person by the
 * pairwise sub it was given, while a public client's name the account id; RP-initiated logout takes its ID token.
 */
class PairwiseSubjectEventsTest extends EventsGatewayTest {

	@DynamicPropertySource
	static void pairwiseReceiver(DynamicPropertyRegistry registry) {
		String p = "tongxing.clients[4].";
		registry.add(p + "client-id", () -> "rp-pairwise");
		registry.add(p + "client-secret", () -> "rp-pairwise-secret");
		registry.add(p + "redirect-uris[0]", () -> "http://127.0.0.1:3000/rp-pairwise");
		registry.add(p + "scopes", () -> "openid,profile,phone,offline_access");
		registry.add(p + "first-party", () -> "true");
		registry.add(p + "subject-type", () -> "pairwise");
		registry.add(p + "sector-identifier", () -> "rp-pairwise.example.com");
		registry.add(p + "events-endpoint", () -> RECEIVER.url() + "/rp-pairwise/events");
		registry.add(p + "backchannel-logout-uri", () -> RECEIVER.url() + "/rp-pairwise/logout");
	}

	@Autowired
	SecurityEvents events;

	@Autowired
	TransactionTemplate tx;

	@Autowired
	JdbcClient jdbc;

	@Test
	void logoutTokensAndSetsCarryThePairwiseSub() {
		String name = newUserName();
		TestBrowser browser = browser();
		String pairwise = signIn(browser, "rp-pairwise", name);
		String account = signIn(browser, "rp-one", null);
		assertThat(pairwise).isNotEqualTo(account);

		this.tx.executeWithoutResult(status -> this.events.logoutEverywhere(account));
		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.arrivals("rp-pairwise", "logout").size() == 1
				&& RECEIVER.arrivals("rp-one", "logout").size() == 1);
		assertThat(RECEIVER.arrivals("rp-pairwise", "logout")).singleElement()
			.satisfies(logout -> assertThat(logout.claims().getSubject()).isEqualTo(pairwise));
		assertThat(RECEIVER.arrivals("rp-one", "logout")).singleElement()
			.satisfies(logout -> assertThat(logout.claims().getSubject()).isEqualTo(account));

		this.tx.executeWithoutResult(status -> {
			this.events.accountDisabled(account, null);
			this.events.accountPurged(account);
		});
		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.arrivals("rp-pairwise", "events").size() == 3
				&& RECEIVER.arrivals("rp-one", "events").size() == 3);
		assertThat(RECEIVER.arrivals("rp-pairwise", "events")).hasSize(3)
			.allSatisfy(set -> assertThat(subId(set)).containsEntry("format", "iss_sub").containsEntry("sub", pairwise));
		assertThat(RECEIVER.arrivals("rp-one", "events")).hasSize(3)
			.allSatisfy(set -> assertThat(subId(set)).containsEntry("sub", account));
		assertThat(this.jdbc.sql("SELECT subject FROM events_recipient WHERE user_id = :u AND client_id = 'rp-pairwise'")
			.param("u", account)
			.query(String.class)
			.single()).isEqualTo(pairwise);
	}

	/** RP-initiated logout with a pairwise client's ID token as the hint: it signs the person out, and says so by its sub. */
	@Test
	void rpInitiatedLogoutTakesThePairwiseIdTokenHint() throws Exception {
		TestBrowser browser = browser();
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		String redirect = "http://127.0.0.1:3000/rp-pairwise";
		URI back = browser.authorize(oauth.authorizeUri(OAuthClient.authorizeParams("rp-pairwise", redirect, "openid", pkce)),
				newUserName(), redirect);
		Reply tokens = oauth.post("/oauth2/token", "rp-pairwise", "rp-pairwise-secret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri", redirect,
				"code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		SignedJWT idToken = SignedJWT.parse(tokens.string("id_token"));
		String pairwise = idToken.getJWTClaimsSet().getSubject();

		HttpResponse<String> page = browser.follow(browser.get("/connect/logout?id_token_hint=" + idToken.serialize()), null);
		assertThat(page.uri().toString()).endsWith("/login?signed-out");
		await().atMost(Duration.ofSeconds(20)).until(() -> RECEIVER.arrivals("rp-pairwise", "logout").size() == 1);
		TestReceiver.Arrival logout = RECEIVER.arrivals("rp-pairwise", "logout").get(0);
		assertThat(logout.error()).isNull();
		assertThat(logout.claims().getSubject()).isEqualTo(pairwise);
	}

	private static Map<String, Object> subId(TestReceiver.Arrival set) {
		try {
			return set.claims().getJSONObjectClaim("sub_id");
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
