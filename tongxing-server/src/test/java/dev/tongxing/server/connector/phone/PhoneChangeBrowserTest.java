package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneLimits;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Changing the bound phone number in headless Chromium, clicking what a person clicks, in both languages:
 * with a code to the old number and one to the new (changed at once), and with the old number lost (the
 * change waits, the account page says so, and it is cancelled from there).
 */
class PhoneChangeBrowserTest extends GatewayTest {

	static final Map<String, List<String>> WORDS = Map.of(
			"en", List.of("Change your phone number", "Your phone number is changed.",
					"Your phone number is set to change to", "The change of your phone number is cancelled"),
			"zh-CN", List.of("更换手机号", "手机号已更换。", "你的手机号将于", "已取消更换手机号"));

	@Autowired
	SmsSender sms;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountService accounts;

	@BeforeEach
	void freshState() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@AfterEach
	void freshAfter() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@Test
	void changingWithBothCodesInEnglishAndChinese() {
		for (String language : List.of("en", "zh-CN")) {
			String old = PhoneChangeNeedsOldNumberTest.randomPhone();
			String wanted = PhoneChangeNeedsOldNumberTest.randomPhone();
			try (Chromium browser = Chromium.start(language)) {
				String userId = signInAndBind(browser, old);
				browser.open(this.issuer + "/account");
				browser.click("[data-action=change-phone]");
				assertThat(browser.waitFor("[data-testid=phone-change] h1").getText())
					.isEqualTo(WORDS.get(language).get(0));
				tick();
				browser.click("[data-action=send-old-code]");
				browser.waitFor("[data-testid=phone-notice]");
				browser.waitFor("[data-testid=phone-change-old] input[name=code]").sendKeys(codeTo(old));
				browser.click("[data-action=verify-old]");

				browser.waitFor("[data-testid=phone-change-new] input[name=phone]").sendKeys(wanted);
				assertThat(browser.waitFor("[data-testid=phone-consent]").isDisplayed()).isTrue();
				tick();
				browser.click("[data-testid=phone-change-new] [data-action=send-code]");
				browser.waitFor("[data-testid=phone-notice]");
				browser.waitFor("[data-testid=phone-change-new] input[name=code]").sendKeys(codeTo(wanted));
				browser.click("[data-action=change-phone]");

				assertThat(browser.waitFor("[data-testid=account-notice]").getText())
					.startsWith(WORDS.get(language).get(1));
				assertThat(phones(userId)).as(language).containsExactly(wanted);
			}
		}
	}

	@Test
	void aLostNumberWaitsAndIsCancelledFromTheAccountPageInEnglishAndChinese() {
		for (String language : List.of("en", "zh-CN")) {
			String old = PhoneChangeNeedsOldNumberTest.randomPhone();
			String wanted = PhoneChangeNeedsOldNumberTest.randomPhone();
			try (Chromium browser = Chromium.start(language)) {
				String userId = signInAndBind(browser, old);
				browser.open(this.issuer + "/account/phone");
				browser.click("[data-action=lost-old-number]");
				browser.waitFor("[data-testid=phone-change-lost] input[name=phone]").sendKeys(wanted);
				tick();
				browser.click("[data-testid=phone-change-lost] [data-action=send-code]");
				browser.waitFor("[data-testid=phone-notice]");
				browser.waitFor("[data-testid=phone-change-lost] input[name=code]").sendKeys(codeTo(wanted));
				browser.click("[data-action=schedule-change]");

				// the account page: the banner for every sign-in, leading to the way to cancel
				assertThat(browser.waitFor("[data-testid=important-notice]").getText())
					.startsWith(WORDS.get(language).get(2));
				browser.click("[data-testid=important-notice] a");
				assertThat(browser.waitFor("[data-testid=phone-change-waiting]").getText())
					.contains(PhoneChangeNeedsOldNumberTest.masked(wanted));
				browser.click("[data-action=cancel-phone-change]");
				assertThat(browser.waitFor("[data-testid=account-notice]").getText())
					.startsWith(WORDS.get(language).get(3));
				assertThat(browser.driver().findElements(By.cssSelector("[data-testid=important-notice]"))).isEmpty();
				assertThat(phones(userId)).as(language).containsExactly(old);
			}
		}
	}

	/** A dev sign-in, then the first number bound with its one code on the page. */
	private String signInAndBind(Chromium browser, String phone) {
		browser.open(this.issuer + "/login/dev");
		browser.waitFor("input[type=text][name=username]").sendKeys("chromium-" + UUID.randomUUID().toString().substring(0, 8));
		browser.waitFor("input[type=text][name=username]").submit();
		browser.waitFor("[data-testid=account-id]");
		String userId = browser.driver().findElement(By.cssSelector("[data-testid=account-id]")).getText();
		browser.click("[data-action=bind-phone]");
		browser.waitFor("[data-testid=phone-bind] input[name=phone]").sendKeys(phone);
		browser.click("[data-consent-item=phone-number]");
		tick();
		browser.click("[data-action=send-code]");
		browser.waitFor("[data-testid=phone-notice]");
		browser.waitFor("[data-testid=phone-bind] input[name=code]").sendKeys(codeTo(phone));
		browser.click("[data-action=bind]");
		browser.waitFor("[data-testid=account-notice]");
		assertThat(phones(userId)).containsExactly(phone);
		return userId;
	}

	private void tick() {
		this.clock.advance(Duration.ofSeconds(61));
	}

	private String codeTo(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(e164))
			.findFirst()
			.orElseThrow()
			.code();
	}

	private List<String> phones(String userId) {
		return this.accounts.identities(userId)
			.stream()
			.filter(i -> i.provider().equals("phone"))
			.map(AccountService.LinkedIdentity::key)
			.toList();
	}

}
