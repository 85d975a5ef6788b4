package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.Select;
import tools.jackson.databind.JsonNode;

/** A person whose WeChat login fails asks for help in headless Chromium, from the login page to their ticket. */
class ComplaintBrowserTest extends ComplaintGatewayTest {

	@Test
	void fromTheLoginPageThroughTheFormToTheTicketPage() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		this.emulator.control().settings().autoApproveUser = DefaultFixture.ALICE;
		try (Chromium chromium = Chromium.start("en")) {
			chromium.open(this.issuer + "/login");
			chromium.click("[data-provider=wechat]");
			chromium.waitFor("[data-testid=login-error]");
			assertThat(chromium.url()).contains("/login?error=wechat.config");

			chromium.click("[data-testid=login-help]");
			chromium.waitFor("[data-testid=complaint-form]");
			assertThat(chromium.driver().getTitle()).startsWith("Can't sign in?");

			// sent empty first: every field says what is wrong, in English
			chromium.click("[data-action=submit-complaint]");
			assertThat(chromium.waitFor("[data-field-error=contact]").getText()).startsWith("Enter a mobile number");
			assertThat(chromium.waitFor("[data-field-error=method]").getText()).isEqualTo("Choose how you tried to sign in.");
			assertThat(chromium.waitFor("[role=alert]").getText()).isEqualTo("Please correct the fields marked below.");

			chromium.waitFor("#contact").sendKeys("138 0013 8000");
			new Select(chromium.waitFor("#method")).selectByVisibleText("Sign in with WeChat");
			chromium.waitFor("#description").sendKeys("I scan the QR code and confirm, then the page says sign-in failed.");
			chromium.click("[data-action=submit-complaint]");

			chromium.waitFor("[data-testid=complaint-ticket]");
			String number = chromium.waitFor("[data-testid=ticket-number]").getText();
			assertThat(number).matches(TicketNumbers.PATTERN);
			assertThat(chromium.waitFor("[data-testid=complaint-opened]").getText()).startsWith("We have your report.");
			assertThat(chromium.waitFor("[data-testid=ticket-status]").getText()).isEqualTo("Waiting for our first response");
			assertThat(chromium.waitFor("[data-testid=ticket-due]").getText()).contains("Asia/Shanghai");
			String link = chromium.waitFor("[data-testid=ticket-link]").getText();
			assertThat(link).startsWith(this.issuer + "/login/help/" + number + "?k=");

			chromium.waitFor("#message").sendKeys("It is WeChat 8.0.50 on Android.");
			chromium.click("[data-action=add-message]");
			assertThat(chromium.waitFor("[data-testid=ticket-messages] [data-author=person]").getText())
				.contains("You")
				.contains("It is WeChat 8.0.50 on Android.");

			// the operator sees the failure that brought the person here, explained
			JsonNode ticket = adminJson("/admin/api/complaints/" + number);
			assertThat(ticket.path("failures").findValuesAsString("cause")).containsExactly("APP_CREDENTIALS_INVALID");
			assertThat(ticket.path("failures").get(0).path("matchedBy").asString()).isEqualTo("session");
			assertThat(reply(number, "We renewed the app's secret. Please try again.").statusCode()).isEqualTo(201);

			chromium.open(link);
			assertThat(chromium.waitFor("[data-testid=ticket-status]").getText()).isEqualTo("Answered");
			assertThat(chromium.waitFor("[data-testid=ticket-messages] [data-author=operator]").getText())
				.contains("Support")
				.contains("We renewed the app's secret. Please try again.");
			assertThat(chromium.driver().findElements(By.cssSelector("[data-testid=ticket-due]"))).isEmpty();
		}
	}

	@Test
	void theLinkAndTheFormSpeakChinese() {
		try (Chromium chromium = Chromium.start("zh-CN")) {
			chromium.open(this.issuer + "/login");
			assertThat(chromium.waitFor("[data-testid=login-help]").getText()).isEqualTo("登录遇到问题？");
			chromium.click("[data-testid=login-help]");
			chromium.waitFor("#contact").sendKeys("not-an-address@");
			chromium.click("[data-action=submit-complaint]");
			assertThat(chromium.waitFor("[data-field-error=contact]").getText()).startsWith("请输入手机号");
			assertThat(chromium.waitFor("[data-field-error=description]").getText()).contains("5 到 2000");
			assertThat(chromium.waitFor("#contact").getAttribute("value")).isEqualTo("not-an-address@");
		}
	}

}
