package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's sign-in in headless Chromium, in English and Chinese, without a line of script: an operator
 * without a second factor enrols (the key shown once, confirmed by a code; a wrong code refused), signs out, signs
 * in again with a code only, and after the idle timeout finds the console signed out.
 */
class ConsoleSignInBrowserTest extends GatewayTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@AfterEach
	void clockBack() {
		this.clock.reset();
	}

	@Test
	void inEnglish() {
		walkThrough("en", "Sign in with Tongxing", "That code is not right", "15 minutes without activity");
	}

	@Test
	void inChinese() {
		walkThrough("zh-CN", "用通行登录", "动态码不正确", "已 15 分钟无操作");
	}

	private void walkThrough(String language, String signInButton, String wrongCode, String expired) {
		String name = "cb" + UUID.randomUUID().toString().substring(0, 8);
		String accountId = ConsoleSignIn.account(this.context, this.issuer, name, OperatorRole.SUPPORT);
		try (Chromium chromium = Chromium.start(language)) {
			chromium.open(this.issuer + "/admin/complaints");
			assertThat(chromium.waitFor("[data-action=console-sign-in]").getText()).isEqualTo(signInButton);
			chromium.click("[data-action=console-sign-in]");
			ConsoleSignIn.devLogin(chromium, name);

			// enrolment: the key and its otpauth link, shown this once
			chromium.waitFor("[data-testid=console-second-factor][data-enrolled=false]");
			String secret = chromium.waitFor("[data-testid=totp-secret]").getText();
			assertThat(secret).matches("[A-Z2-7]{32}");
			assertThat(chromium.waitFor("[data-testid=totp-uri]").getText()).startsWith("otpauth://totp/")
				.contains("secret=" + secret).contains("issuer=Tongxing");
			ConsoleSignIn.Operator operator = new ConsoleSignIn.Operator(this.issuer, name, accountId, secret);
			chromium.waitFor("input[name=code]").sendKeys(operator.wrongCode());
			chromium.click("[data-action=verify-code]");
			assertThat(chromium.waitFor("[data-testid=second-factor-error]").getText()).contains(wrongCode);
			// the same key again, not a new one, until it is confirmed
			assertThat(chromium.waitFor("[data-testid=totp-secret]").getText()).isEqualTo(secret);
			chromium.waitFor("input[name=code]").sendKeys(operator.code());
			chromium.click("[data-action=verify-code]");
			// back to the page first asked for
			chromium.waitFor("[data-testid=complaint-queue]");
			assertThat(chromium.url()).endsWith("/admin/complaints?continue");
			chromium.open(this.issuer + "/admin");
			chromium.click("[data-action=console-sign-out]");
			chromium.waitFor("[data-testid=console-signed-out]");

			// again: the gateway's login, then a code only, the key never shown again
			chromium.open(this.issuer + "/admin");
			chromium.click("[data-action=console-sign-in]");
			ConsoleSignIn.devLogin(chromium, name);
			chromium.waitFor("[data-testid=console-second-factor][data-enrolled=true]");
			assertThat(chromium.driver().findElements(By.cssSelector("[data-testid=totp-secret]"))).isEmpty();
			assertThat(chromium.driver().getPageSource()).doesNotContain(secret);
			chromium.waitFor("input[name=code]").sendKeys(operator.code());
			chromium.click("[data-action=verify-code]");
			chromium.waitFor("[data-testid=admin-index]");

			// idle for longer than the timeout: signed out of the console
			this.clock.advance(Duration.ofMinutes(15).plusSeconds(5));
			chromium.open(this.issuer + "/admin");
			assertThat(chromium.waitFor("[data-testid=console-expired]").getText()).contains(expired);
			assertThat(chromium.driver().findElements(By.cssSelector("[data-testid=admin-index]"))).isEmpty();
		}
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s")
			.param("t", ConsoleSessions.SIGNED_IN)
			.param("s", accountId)
			.query(Long.class)
			.single()).isEqualTo(2);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s AND details LIKE '%enrolled_now\":\"true%'")
			.param("t", ConsoleSessions.SIGNED_IN)
			.param("s", accountId)
			.query(Long.class)
			.single()).isEqualTo(1);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s")
			.param("t", OperatorSecondFactor.ENROLLED)
			.param("s", accountId)
			.query(Long.class)
			.single()).isEqualTo(1);
	}

}
