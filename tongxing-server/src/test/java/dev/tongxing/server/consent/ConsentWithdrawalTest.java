package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.ConsentPages;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Withdrawing consent to an app takes effect at once: its tokens stop working and it must ask again. */
class ConsentWithdrawalTest extends GatewayTest {

	static final String PARTNER_CB = "https://partner.example.com/cb";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountService accounts;

	@Test
	void withdrawingRevokesTheAppsTokensAndForgetsItsConsent() {
		TestBrowser browser = browser();
		OAuthClient oauth = new OAuthClient(this.issuer);
		String name = "w" + UUID.randomUUID().toString().substring(0, 8);
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("partner", PARTNER_CB, "openid profile", pkce);
		browser.follow(browser.get(oauth.authorizeUri(params).toString()), null);
		HttpResponse<String> consentPage = browser
			.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), PARTNER_CB);
		HttpResponse<String> back = ConsentPages.approve(browser, consentPage, "profile");
		URI redirect = URI.create(back.headers().firstValue("Location").orElseThrow());
		Reply tokens = oauth.post("/oauth2/token", "partner", "partner-secret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri", PARTNER_CB,
				"code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		String accessToken = tokens.string("access_token");
		assertThat(oauth.get("/userinfo", accessToken).status()).isEqualTo(200);

		HttpResponse<String> consents = browser.get("/account/consents");
		assertThat(consents.body()).contains("data-client=\"partner\"").contains("A partner app");
		HttpResponse<String> withdrawn = browser
			.follow(browser.submit(consents, "/account/consents/withdraw", Map.of("client", "partner")), null);
		assertThat(withdrawn.body()).contains("data-testid=\"consent-withdrawn\"").doesNotContain("data-client=\"partner\"");

		// at once: the token is dead everywhere it is checked, and the app must ask again
		assertThat(oauth.get("/userinfo", accessToken).status()).isEqualTo(401);
		assertThat(oauth.post("/oauth2/introspect", "partner", "partner-secret", Map.of("token", accessToken)).json())
			.containsEntry("active", false);
		HttpResponse<String> again = browser.follow(browser.get(oauth.authorizeUri(
				OAuthClient.authorizeParams("partner", PARTNER_CB, "openid profile", Pkce.create())).toString()), PARTNER_CB);
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("profile"); // the consent page, not a silent redirect

		String subject = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		assertThat(this.jdbc.sql("SELECT event_state FROM consent_record WHERE subject = :s AND recipient_client = 'partner' ORDER BY recorded_at")
			.param("s", subject)
			.query(String.class)
			.list()).containsExactly("GIVEN", "WITHDRAWN");
		// the withdrawal names what had been consented to
		assertThat(this.jdbc.sql("""
				SELECT data_categories FROM consent_record WHERE subject = :s AND recipient_client = 'partner'
				AND event_state = 'WITHDRAWN'""").param("s", subject).query(String.class).single())
			.isEqualTo("nickname avatar");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'consent.withdrawn' AND subject = :s")
			.param("s", subject)
			.query(Long.class)
			.single()).isEqualTo(1L);
	}

}
