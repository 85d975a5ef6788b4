package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The privacy-policy dialog: before any account exists, nothing pre-ticked, separate consent with a second
 * confirmation for the phone number, asked again after a material change.
 */
@TestPropertySource(properties = { "tongxing.privacy.consent-dialog=true",
		"tongxing.privacy.policies[0].version=1", "tongxing.privacy.policies[0].effective-date=2026-11-01",
		"tongxing.privacy.policies[0].text-zh=classpath:privacy/v1.zh-CN.md",
		"tongxing.privacy.policies[0].text-en=classpath:privacy/v1.en.md",
		"tongxing.privacy.policies[1].version=2", "tongxing.privacy.policies[1].effective-date=2027-06-01",
		"tongxing.privacy.policies[1].material=true", "tongxing.privacy.policies[1].changes=New purposes",
		"tongxing.privacy.policies[1].text-zh=classpath:privacy/v1.zh-CN.md",
		"tongxing.privacy.policies[1].text-en=classpath:privacy/v1.en.md" })
class ConsentDialogTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	SmsSender sms;

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	/** Starts a client login and signs in with the dev test-user method; returns the page reached. */
	HttpResponse<String> devLogin(TestBrowser browser, String name) {
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		return browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)),
				CALLBACK);
	}

	List<Map<String, Object>> records(String subject) {
		return this.jdbc.sql("SELECT * FROM consent_record WHERE subject = :s ORDER BY recorded_at")
			.param("s", subject)
			.query()
			.listOfRows();
	}

	@Test
	void aNewPersonSeesThePolicyBeforeAnyAccountExists() {
		String name = "c" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser browser = browser();
		HttpResponse<String> dialog = devLogin(browser, name);
		assertThat(dialog.uri().getPath()).isEqualTo("/privacy/consent");
		assertThat(dialog.body()).contains("data-testid=\"consent\"").contains("data-consent-item=\"policy\"")
			.doesNotContain("checked").contains("data-action=\"accept\"").contains("data-action=\"decline\"");
		assertThat(this.accounts.userFor(new IdentityKey("dev", name))).isEmpty();
		// the two lists are one click away from the dialog (PIPL Art. 17)
		assertThat(dialog.body()).contains("href=\"/privacy/personal-information\"")
			.contains("href=\"/privacy/third-parties\"");

		// "accept" without ticking the box is not consent
		HttpResponse<String> unticked = browser.submit(dialog, "/privacy/consent", Map.of("decision", "accept"));
		assertThat(unticked.body()).contains("role=\"alert\"");
		assertThat(this.accounts.userFor(new IdentityKey("dev", name))).isEmpty();

		HttpResponse<String> back = browser.submit(dialog, "/privacy/consent", Map.of("decision", "accept", "item", "policy"));
		assertThat(back.headers().firstValue("Location").orElseThrow()).contains("/oauth2/authorize");
		String user = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		assertThat(records(user)).singleElement().satisfies(r -> {
			assertThat(r.get("policy_version")).isEqualTo("1");
			assertThat(r.get("event_state")).isEqualTo("GIVEN");
			assertThat(r.get("method")).isEqualTo("dialog");
		});
	}

	@Test
	void decliningCreatesNothing() {
		String name = "d" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser browser = browser();
		HttpResponse<String> dialog = devLogin(browser, name);
		HttpResponse<String> declined = browser.submit(dialog, "/privacy/consent", Map.of("decision", "decline"));
		assertThat(declined.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=consent.declined");
		assertThat(this.accounts.userFor(new IdentityKey("dev", name))).isEmpty();
		assertThat(browser.get("/login?error=consent.declined").body()).contains("no account was created");
	}

	@Test
	void aMaterialChangeAsksAgainAtTheNextSignIn() {
		String name = "m" + UUID.randomUUID().toString().substring(0, 8);
		TestBrowser first = browser();
		browser().get("/"); // nothing
		HttpResponse<String> dialog = devLogin(first, name);
		first.submit(dialog, "/privacy/consent", Map.of("decision", "accept", "item", "policy"));

		// the same person signs in again before and after version 2 takes effect
		assertThat(devLogin(browser(), name).headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
		this.clock.advance(Duration.ofDays(365));
		HttpResponse<String> renew = devLogin(browser(), name);
		assertThat(renew.uri().getPath()).isEqualTo("/privacy/consent");
		assertThat(renew.body()).contains("data-consent-item=\"policy\"");
	}

	@Test
	void phoneNumbersNeedSeparateConsentWithASecondConfirmation() {
		String phone = "+8613700137" + String.format("%03d", (int) (Math.random() * 1000));
		try (Chromium browser = Chromium.start("en")) {
			browser.open(this.issuer + "/demo");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=phone]");
			browser.waitFor("input[name=phone]").sendKeys(phone);
			browser.click("[data-consent-item=phone-number]");
			browser.click("[data-action=send-code]");
			browser.waitFor("[role=status]");
			String code = ((LogSmsSender) this.sms).latestPerPhone()
				.stream()
				.filter(m -> m.phone().equals(phone))
				.findFirst()
				.orElseThrow()
				.code();
			browser.waitFor("input[name=code]").sendKeys(code);
			browser.click("[data-testid=phone-login] [data-action=sign-in]");

			browser.waitFor("[data-testid=consent]");
			browser.click("[data-consent-item=policy]");
			browser.click("[data-consent-item=sensitive-phone]");
			browser.click("[data-action=accept]");
			browser.waitFor("[data-testid=consent-confirm]");
			assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
			browser.click("[data-action=confirm]");

			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
			assertThat(browser.waitFor("[data-testid=id-token-claims]").getText()).contains(phone);
		}
		String user = this.accounts.userFor(new IdentityKey("phone", phone)).orElseThrow();
		assertThat(records(user)).extracting(r -> r.get("consent_type")).containsExactly("general", "separate");
	}

}
