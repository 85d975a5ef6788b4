package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * Withdrawing consent to the privacy policy stops processing at once: tokens revoked, every session ended,
 * recorded; the next sign-in asks for consent again before anything else.
 */
@TestPropertySource(properties = "tongxing.privacy.consent-dialog=true")
class PolicyWithdrawalTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	/** Signs in to live-web (agreeing to the policy if asked) and returns its access token. */
	String signIn(TestBrowser browser, String name) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		browser.follow(browser.get(oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile",
				pkce)).toString()), null);
		HttpResponse<String> reached = browser
			.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), CALLBACK);
		if (reached.uri().getPath().equals("/privacy/consent")) {
			reached = browser.follow(browser.submit(reached, "/privacy/consent",
					Map.of("decision", "accept", "item", "policy")), CALLBACK);
		}
		URI redirect = reached.uri().resolve(reached.headers().firstValue("Location").orElseThrow());
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", TestBrowser.query(redirect).get("code"), "redirect_uri", CALLBACK, "code_verifier",
				pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		return tokens.string("access_token");
	}

	@Test
	void withdrawingThePolicyConsentSignsOutEverywhereAndAsksAgain() {
		String name = "p" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser phone = browser();
		TestBrowser laptop = browser();
		String token = signIn(phone, name);
		signIn(laptop, name);
		String user = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		OAuthClient oauth = new OAuthClient(this.issuer);
		assertThat(oauth.get("/userinfo", token).status()).isEqualTo(200);

		HttpResponse<String> consents = phone.get("/account/consents");
		assertThat(consents.body()).contains("data-action=\"withdraw-policy\"");
		HttpResponse<String> page = phone.get("/account/consents/policy/withdraw");
		assertThat(page.body()).contains("data-testid=\"withdraw-policy\"").contains("data-action=\"confirm\"")
			.contains("data-action=\"cancel\"");
		HttpResponse<String> done = phone.submit(page, "/account/consents/policy/withdraw", Map.of());
		assertThat(done.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=consent.policy-withdrawn");

		assertThat(oauth.get("/userinfo", token).status()).isEqualTo(401);
		assertThat(laptop.get("/account").headers().firstValue("Location").orElse("")).endsWith("/login");
		assertThat(phone.get("/account").headers().firstValue("Location").orElse("")).endsWith("/login");
		assertThat(this.jdbc.sql("""
				SELECT event_state FROM consent_record WHERE subject = :s AND recipient_client IS NULL
				ORDER BY recorded_at DESC""").param("s", user).query(String.class).list()).first().isEqualTo("WITHDRAWN");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'consent.withdrawn' AND subject = :s")
			.param("s", user)
			.query(Long.class)
			.single()).isEqualTo(1);

		// the next sign-in asks before anything else
		TestBrowser again = browser();
		again.follow(again.get(oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid",
				Pkce.create())).toString()), null);
		HttpResponse<String> reached = again
			.follow(again.submit(again.get("/login/dev"), "/login/dev", Map.of("username", name)), CALLBACK);
		assertThat(reached.uri().getPath()).isEqualTo("/privacy/consent");

		// going around the dialog, straight back to the app, gets the app no token
		Pkce pkce = Pkce.create();
		HttpResponse<String> around = again.follow(again.get(oauth.authorizeUri(OAuthClient.authorizeParams("live-web",
				CALLBACK, "openid", pkce)).toString()), CALLBACK);
		String location = around.headers().firstValue("Location").orElse("");
		assertThat(location).startsWith(CALLBACK + "?code="); // the session is signed in: the endpoint answers
		Reply refused = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", TestBrowser.query(URI.create(location)).get("code"), "redirect_uri", CALLBACK, "code_verifier",
				pkce.verifier()));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("invalid_grant");

		// agreeing again restores everything
		assertThat(signIn(browser(), name)).isNotBlank();
	}

}
