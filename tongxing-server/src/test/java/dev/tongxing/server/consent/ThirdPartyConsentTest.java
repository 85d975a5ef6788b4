package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsentPages;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A client that is not first-party gets the person's data only through separate consent: each item its own
 * box, nothing ticked, a second confirmation naming the recipient, and a consent record of exactly that.
 */
class ThirdPartyConsentTest extends GatewayTest {

	static final String PARTNER_CB = "https://partner.example.com/cb";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountService accounts;

	String userOf(String devName) {
		return this.accounts.userFor(new IdentityKey("dev", devName)).orElseThrow();
	}

	record Started(TestBrowser browser, HttpResponse<String> consentPage, Pkce pkce, String user) {
	}

	Started signInToPartner(String scope) {
		return signInToPartner(scope, Map.of());
	}

	Started signInToPartner(String scope, Map<String, String> extra) {
		TestBrowser browser = browser();
		OAuthClient oauth = new OAuthClient(this.issuer);
		String name = "t" + UUID.randomUUID().toString().substring(0, 8);
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("partner", PARTNER_CB, scope, pkce);
		params.putAll(extra);
		browser.follow(browser.get(oauth.authorizeUri(params).toString()), null);
		HttpResponse<String> page = browser
			.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), PARTNER_CB);
		return new Started(browser, page, pkce, userOf(name));
	}

	List<Map<String, Object>> partnerRecords(String user) {
		return this.jdbc
			.sql("SELECT * FROM consent_record WHERE subject = :s AND recipient_client = 'partner' ORDER BY recorded_at")
			.param("s", user)
			.query()
			.listOfRows();
	}

	@Test
	void eachItemIsSeparateNothingIsTickedAndOnlyTheConfirmedScopesAreGranted() {
		Started started = signInToPartner("openid profile phone");
		HttpResponse<String> page = started.consentPage();
		assertThat(page.uri().getPath()).isEqualTo("/oauth2/consent");
		assertThat(page.body()).contains("data-testid=\"consent\"")
			.contains("data-consent-item=\"third-party-sharing\"")
			.contains("data-consent-item=\"profile\"")
			.contains("data-consent-item=\"phone\"")
			.contains("data-action=\"accept\"")
			.contains("data-action=\"decline\"")
			.contains("<title>A partner app")
			.doesNotContain("checked");

		// agreeing without the sharing item is not consent
		HttpResponse<String> unticked = ConsentPages.agree(started.browser(), page, "profile");
		assertThat(unticked.body()).contains("role=\"alert\"").doesNotContain("data-testid=\"consent-confirm\"");

		HttpResponse<String> confirm = ConsentPages.agree(started.browser(), page, "third-party-sharing", "profile");
		assertThat(confirm.body()).contains("data-testid=\"consent-confirm\"")
			.contains("data-action=\"confirm\"")
			.contains("data-consent-item=\"profile\"")
			.doesNotContain("data-consent-item=\"phone\"");
		assertThat(partnerRecords(started.user())).isEmpty(); // nothing is agreed before the confirmation

		HttpResponse<String> back = ConsentPages.confirm(started.browser(), confirm);
		URI redirect = URI.create(back.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith(PARTNER_CB + "?code=");
		OAuthClient oauth = new OAuthClient(this.issuer);
		Reply tokens = oauth.post("/oauth2/token", "partner", "partner-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"),
						"redirect_uri", PARTNER_CB, "code_verifier", started.pkce().verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(tokens.string("scope").split(" ")).containsExactlyInAnyOrder("openid", "profile");
		Map<String, Object> userinfo = oauth.get("/userinfo", tokens.string("access_token")).json();
		assertThat(userinfo).containsKey("name").doesNotContainKey("phone_number");

		assertThat(partnerRecords(started.user())).singleElement().satisfies(r -> {
			assertThat(r.get("event_state")).isEqualTo("GIVEN");
			assertThat(r.get("consent_type")).isEqualTo("separate");
			assertThat(r.get("method")).isEqualTo("dialog-confirmed");
			assertThat(r.get("data_categories")).isEqualTo("nickname avatar");
			assertThat(r.get("policy_text_sha256")).isNotNull();
		});
	}

	@Test
	void aDecisionThatSkipsTheConfirmationIsRefused() {
		Started started = signInToPartner("openid profile");
		List<Map.Entry<String, String>> forged = new ArrayList<>();
		forged.add(Map.entry("client_id", "partner"));
		forged.add(Map.entry("state", ConsentPages.hidden(started.consentPage(), "state")));
		forged.add(Map.entry("scope", "openid"));
		forged.add(Map.entry("scope", "profile"));
		forged.add(Map.entry("decision", "confirm"));
		HttpResponse<String> back = started.browser().submitAll(started.consentPage(), "/oauth2/authorize", forged);
		String location = back.headers().firstValue("Location").orElseThrow();
		assertThat(location).startsWith(PARTNER_CB).contains("error=access_denied").doesNotContain("code=");
		assertThat(partnerRecords(started.user())).isEmpty();
	}

	@Test
	void decliningTellsTheClientAccessDeniedAndIsRecorded() {
		Started started = signInToPartner("openid profile");
		List<Map.Entry<String, String>> decline = new ArrayList<>();
		decline.add(Map.entry("client_id", "partner"));
		decline.add(Map.entry("state", ConsentPages.hidden(started.consentPage(), "state")));
		decline.add(Map.entry("decision", "decline"));
		HttpResponse<String> back = started.browser().submitAll(started.consentPage(), "/oauth2/authorize", decline);
		assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(PARTNER_CB)
			.contains("error=access_denied");
		assertThat(partnerRecords(started.user())).singleElement()
			.satisfies(r -> assertThat(r.get("event_state")).isEqualTo("REFUSED"));
	}

	@Test
	void decliningARequestForAFormPostAnswersWithTheForm() {
		Started started = signInToPartner("openid profile", Map.of("response_mode", "form_post", "nonce", "n-1"));
		List<Map.Entry<String, String>> decline = new ArrayList<>();
		decline.add(Map.entry("client_id", "partner"));
		decline.add(Map.entry("state", ConsentPages.hidden(started.consentPage(), "state")));
		decline.add(Map.entry("decision", "decline"));
		HttpResponse<String> back = started.browser().submitAll(started.consentPage(), "/oauth2/authorize", decline);
		assertThat(back.statusCode()).isEqualTo(200);
		assertThat(back.headers().firstValue("Location")).isEmpty();
		assertThat(back.body()).contains("<form method=\"post\" data-testid=\"form-post\" action=\"" + PARTNER_CB + "\"")
			.contains("name=\"error\" value=\"access_denied\"")
			.doesNotContain("name=\"code\"");
	}

	@Test
	void thePhoneNumberIsMarkedSensitiveAndConfirmedInABrowser() {
		String name = "b" + UUID.randomUUID().toString().substring(0, 8);
		OAuthClient oauth = new OAuthClient(this.issuer);
		try (Chromium browser = Chromium.start("en")) {
			browser.open(oauth.authorizeUri(OAuthClient.authorizeParams("partner", PARTNER_CB, "openid profile phone",
					Pkce.create())).toString());
			browser.open(this.issuer + "/login/dev");
			browser.waitFor("[data-testid=dev-login] input[name=username]").sendKeys(name);
			browser.click("[data-action=sign-in]");
			browser.waitFor("[data-testid=consent]");
			assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector("input[type=checkbox]:checked")))
				.isEmpty();
			browser.click("[data-consent-item=third-party-sharing]");
			browser.click("[data-consent-item=phone]");
			browser.click("[data-action=accept]");
			browser.waitFor("[data-testid=consent-confirm]");
			assertThat(browser.waitFor("[data-consent-item=phone]").getText()).contains("Sensitive personal information");
			browser.click("[data-action=confirm]");
			// the browser is sent on to the partner (unreachable here): the code is in the address it tried
			new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(10))
				.until(driver -> this.jdbc.sql("SELECT COUNT(*) FROM consent_record WHERE recipient_client = 'partner'"
						+ " AND subject = :s").param("s", userOf(name)).query(Long.class).single() > 0);
		}
		assertThat(partnerRecords(userOf(name))).singleElement().satisfies(r -> {
			assertThat(r.get("event_state")).isEqualTo("GIVEN");
			assertThat(r.get("data_categories")).isEqualTo("phone-number");
		});
	}

}
