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

/**
 * RP-initiated logout at {@code /connect/logout} (the OpenID Foundation's {@code oidcc-backchannel-rp-initiated-logout}
 * and {@code oidcc-rp-initiated-logout-no-*} modules): the apps the browser session signed in to get a logout token
 * naming that session, and no other session's; without a {@code post_logout_redirect_uri} the person sees they are
 * signed out; without an {@code id_token_hint} they are asked first.
 */
class RpInitiatedLogoutEventsTest extends EventsGatewayTest {

	static final Duration WAIT = Duration.ofSeconds(20);

	@Test
	void theSessionsAppsHearOfItByBackChannel() throws Exception {
		String user = newUserName();
		TestBrowser here = browser();
		SignedJWT idToken = idToken(here, "rp-one", user);
		idToken(here, "rp-two", null);
		TestBrowser elsewhere = browser();
		SignedJWT otherSession = idToken(elsewhere, "rp-one", user);
		String sid = (String) idToken.getJWTClaimsSet().getClaim("sid");
		assertThat(sid).isNotNull().isNotEqualTo(otherSession.getJWTClaimsSet().getClaim("sid"));

		HttpResponse<String> page = here.follow(here.get("/connect/logout?id_token_hint=" + idToken.serialize()), null);
		assertThat(page.uri().toString()).endsWith("/login?signed-out");
		assertThat(page.body()).contains("data-testid=\"signed-out\"");

		await().atMost(WAIT).until(() -> RECEIVER.arrivals("rp-one", "logout").size() == 1
				&& RECEIVER.arrivals("rp-two", "logout").size() == 1);
		for (String client : new String[] { "rp-one", "rp-two" }) {
			TestReceiver.Arrival logout = RECEIVER.arrivals(client, "logout").get(0);
			assertThat(logout.error()).isNull();
			assertThat(logout.claims().getClaim("sid")).isEqualTo(sid);
			assertThat(logout.claims().getSubject()).isEqualTo(idToken.getJWTClaimsSet().getSubject());
		}
		Thread.sleep(Duration.ofMillis(500)); // the other session's app is not told, not even late
		assertThat(RECEIVER.arrivals("rp-one", "logout")).hasSize(1);
		// the other browser is still signed in
		assertThat(idToken(elsewhere, "rp-one", null)).isNotNull();
	}

	@Test
	void withoutAnIdTokenHintThePersonIsAskedFirst() {
		TestBrowser browser = browser();
		signIn(browser, "rp-one", newUserName());
		HttpResponse<String> confirm = browser.follow(browser.get("/connect/logout?state=s1"), null);
		assertThat(confirm.uri().getPath()).isEqualTo("/logout/confirm");
		assertThat(confirm.body()).contains("data-testid=\"sign-out-confirm\"").contains("data-action=\"logout\"");

		HttpResponse<String> signedOut = browser.follow(browser.submit(confirm, "/logout", Map.of()), null);
		assertThat(signedOut.uri().toString()).endsWith("/login?signed-out");
		assertThat(signedOut.body()).contains("data-testid=\"signed-out\"");
		// signed out: nobody is left to ask
		HttpResponse<String> again = browser.follow(browser.get("/connect/logout"), null);
		assertThat(again.uri().toString()).endsWith("/login?signed-out");
	}

	private SignedJWT idToken(TestBrowser browser, String clientId, String user) throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		String redirect = "http://127.0.0.1:3000/" + clientId;
		URI back = browser.authorize(oauth.authorizeUri(OAuthClient.authorizeParams(clientId, redirect, "openid", pkce)),
				user, redirect);
		Reply tokens = oauth.post("/oauth2/token", clientId, clientId + "-secret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri", redirect,
				"code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token"));
	}

}
