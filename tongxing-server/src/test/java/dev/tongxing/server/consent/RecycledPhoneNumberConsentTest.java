package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneLimits;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * The new holder of a recycled phone number (二次号) is a new person: the privacy-policy dialog comes before any
 * account, and the number leaves the old account only once they accepted. The same settings as
 * {@link ConsentDialogTest}, so both share one gateway.
 */
@TestPropertySource(properties = { "tongxing.privacy.consent-dialog=true",
		"tongxing.privacy.policies[0].version=1", "tongxing.privacy.policies[0].effective-date=2026-11-01",
		"tongxing.privacy.policies[0].text-zh=classpath:privacy/v1.zh-CN.md",
		"tongxing.privacy.policies[0].text-en=classpath:privacy/v1.en.md",
		"tongxing.privacy.policies[1].version=2", "tongxing.privacy.policies[1].effective-date=2027-06-01",
		"tongxing.privacy.policies[1].material=true", "tongxing.privacy.policies[1].changes=New purposes",
		"tongxing.privacy.policies[1].text-zh=classpath:privacy/v1.zh-CN.md",
		"tongxing.privacy.policies[1].text-en=classpath:privacy/v1.en.md" })
class RecycledPhoneNumberConsentTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	private static final Pattern HIDDEN_PHONE = Pattern.compile("type=\"hidden\" name=\"phone\" value=\"([^\"]*)\"");

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@BeforeEach
	@AfterEach
	void fresh() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@Test
	void theNewHolderIsAskedThePolicyFirstAndTheNumberMovesOnlyOnceAccepted() {
		String phone = "+86139" + String.format("%08d", ThreadLocalRandom.current().nextLong(100_000_000L));
		IdentityKey key = new IdentityKey("phone", phone);
		Instant longAgo = Instant.now(this.clock).minus(Duration.ofDays(800));
		String old = this.accounts.createImported(List.of(key), new ExternalIdentity.Profile("Old owner", null, null),
				longAgo, longAgo, "test");

		// declined: nothing is made, and the number stays where it was
		TestBrowser first = browser();
		HttpResponse<String> dialog = smsSignIn(first, phone);
		assertThat(dialog.uri().getPath()).isEqualTo("/privacy/consent");
		assertThat(this.accounts.userFor(key)).contains(old);
		HttpResponse<String> declined = first.submit(dialog, "/privacy/consent", Map.of("decision", "decline"));
		assertThat(declined.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=consent.declined");
		assertThat(this.accounts.userFor(key)).contains(old);
		assertThat(this.accounts.releasedIdentifiers(old)).isEmpty();

		// accepted: a new account with the number, the old one kept and told
		this.clock.advance(Duration.ofSeconds(61)); // one code a minute per number
		TestBrowser second = browser();
		HttpResponse<String> again = smsSignIn(second, phone);
		assertThat(again.uri().getPath()).isEqualTo("/privacy/consent");
		// the policy, and the phone number's separate consent with its second confirmation
		HttpResponse<String> confirm = second.follow(second.submitAll(again, "/privacy/consent",
				List.of(Map.entry("decision", "accept"), Map.entry("item", "policy"), Map.entry("item", "sensitive-phone"))),
				CALLBACK);
		assertThat(confirm.uri().getPath()).isEqualTo("/privacy/consent/confirm");
		assertThat(this.accounts.userFor(key)).contains(old);
		HttpResponse<String> back = second.submit(confirm, "/privacy/consent/confirm", Map.of("decision", "confirm"));
		assertThat(back.headers().firstValue("Location").orElseThrow()).contains("/oauth2/authorize");
		String newcomer = this.accounts.userFor(key).orElseThrow();
		assertThat(newcomer).isNotEqualTo(old);
		assertThat(this.accounts.find(old).orElseThrow().displayName()).isEqualTo("Old owner");
		assertThat(this.accounts.find(newcomer).orElseThrow().displayName()).isNull();
		assertThat(this.accounts.releasedIdentifiers(old)).singleElement()
			.satisfies(r -> assertThat(r.reason()).isEqualTo("inactive"));
	}

	/** Starts a client login and signs in with an SMS code; returns the page reached (the dialog, here). */
	HttpResponse<String> smsSignIn(TestBrowser browser, String e164) {
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", OAuthClient.Pkce.create()))
			.toString()), null);
		HttpResponse<String> form = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(form, "/login/phone/send",
				PhoneConsentForm.agreed(form, Map.of("phone", e164)));
		Matcher hidden = HIDDEN_PHONE.matcher(sent.body());
		assertThat(hidden.find()).as("the code was sent: %s", sent.body()).isTrue();
		Matcher code = Pattern.compile("data-phone=\"" + Pattern.quote(e164) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(browser.get("/login/phone/dev-sms").body());
		assertThat(code.find()).as("a code for %s on the dev page", e164).isTrue();
		return browser.follow(browser.submit(sent, "/login/phone/sign-in", Map.of("phone", hidden.group(1), "code",
				code.group(1))), CALLBACK);
	}

}
