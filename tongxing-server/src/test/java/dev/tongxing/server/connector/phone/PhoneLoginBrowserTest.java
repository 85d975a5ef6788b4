package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The demo client signs in by phone in headless Chromium, clicking what a person clicks. */
class PhoneLoginBrowserTest extends GatewayTest {

	@Autowired
	SmsSender sender;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	void freshState() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	@Test
	void demoSignsInWithAPhoneNumber() {
		try (Chromium browser = Chromium.start("en")) {
			browser.open(this.issuer + "/demo");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=phone]");
			browser.waitFor("[data-testid=phone-login] input[name=phone]").sendKeys("138 0013 8000");
			browser.click("[data-consent-item=phone-number]");
			browser.click("[data-action=send-code]");
			assertThat(browser.waitForText("[role=status]", "+86 138 0013 8000"))
				.isEqualTo("We sent a code to +86 138 0013 8000. It is valid for 5 minutes.");

			String code = ((LogSmsSender) this.sender).latestPerPhone().get(0).code();
			browser.waitFor("[data-testid=phone-login] input[name=code]").sendKeys(code);
			browser.click("[data-testid=phone-login] [data-action=sign-in]");

			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
			assertThat(browser.waitFor("[data-testid=id-token-claims]").getText()).contains("\"sub\"")
				.contains("\"iss\": \"" + this.issuer);
		}
	}

	@Test
	void wrongCodeShowsAMessageOnThePage() {
		try (Chromium browser = Chromium.start("en")) {
			browser.open(this.issuer + "/login/phone");
			browser.waitFor("input[name=phone]").sendKeys("13900139000");
			browser.click("[data-consent-item=phone-number]");
			browser.click("[data-action=send-code]");
			browser.waitFor("[role=status]");
			String code = ((LogSmsSender) this.sender).latestPerPhone().get(0).code();
			browser.waitFor("input[name=code]").sendKeys(code.equals("000000") ? "111111" : "000000");
			browser.click("[data-action=sign-in]");
			assertThat(browser.waitForText("[role=alert]", "not right"))
				.isEqualTo("That code is not right. You have 4 more tries.");
		}
	}

}
