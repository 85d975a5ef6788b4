package dev.tongxing.server.breach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebElement;

/**
 * The incident pages in headless Chromium, in both languages: an operator records an incident with the form,
 * previews and confirms the selection, sends the notices; the person it touched sees the banner on their account
 * page and reads the notice with every part Art. 57 lists.
 */
class BreachPagesBrowserTest extends BreachTestSupport {

	@Test
	void inEnglish() {
		walkThrough("en", "Record", "Notice of a personal-information incident");
	}

	@Test
	void inChinese() {
		walkThrough("zh-CN", "记录", "个人信息安全事件");
	}

	private void walkThrough(String language, String recordButton, String noticeTitle) {
		Instant now = this.clock.instant();
		String name = "bp" + UUID.randomUUID().toString().substring(0, 8);
		try (Chromium person = Chromium.start(language); Chromium operator = Chromium.start(language)) {
			// the person signs in once, so the audit trail knows them
			person.open(this.issuer + "/login/dev");
			person.waitFor("[data-testid=dev-login] input[name=username]").sendKeys(name);
			person.click("[data-testid=dev-login] [data-action=sign-in]");
			person.waitFor("[data-testid=account-id]");
			String accountId = person.waitFor("[data-testid=account-id]").getText();
			entry(new Person(accountId, null), "login.succeeded", now.minus(Duration.ofHours(2)));

			ConsoleSignIn.signIn(operator, consoleAdmin());
			operator.open(operatorUrl("/admin/breaches/new"));
			assertThat(operator.waitFor("[data-action=record]").getText()).contains(recordButton);
			operator.click("input[name=categories][value=phone-number]");
			for (String field : new String[] { "description", "cause", "harm", "measures", "remedies" }) {
				operator.waitFor("#" + field + "Zh").sendKeys("中文：" + field + " " + name);
				operator.waitFor("#" + field + "En").sendKeys("English: " + field + " " + name);
			}
			operator.waitFor("#contact").sendKeys("privacy@tongxing.example");
			operator.click("[data-action=record]");
			WebElement detail = operator.waitFor("[data-testid=breach-detail]");
			String id = detail.getAttribute("data-breach");
			assertThat(operator.waitFor("[data-testid=notice-zh]").getText()).contains("中文：cause " + name);
			assertThat(operator.waitFor("[data-testid=notice-en]").getText()).contains("English: cause " + name);

			// the selection: a preview, then the confirmation
			// seconds too: the inputs take them (step="1"), or a browser would not submit a value such as this one
			String from = BreachForms.local(now.minus(Duration.ofDays(1)).plusSeconds(7), this.properties.zone());
			String to = BreachForms.local(now.plusSeconds(37), this.properties.zone());
			setValue(operator, "#from", from);
			setValue(operator, "#to", to);
			operator.waitFor("#eventTypes").clear();
			operator.waitFor("#eventTypes").sendKeys("login.succeeded");
			operator.waitFor("#clientIds").clear();
			operator.waitFor("#clientIds").sendKeys(this.client);
			operator.click("[data-action=preview]");
			WebElement preview = operator.waitFor("[data-testid=selection-preview], [data-testid=breach-error]");
			assertThat(preview.getAttribute("data-testid")).as(preview.getText()).isEqualTo("selection-preview");
			assertThat(preview.getAttribute("data-people")).isEqualTo("1");
			operator.click("[data-action=confirm]");
			assertThat(operator.waitFor("[data-testid=delivery-counts]").getAttribute("data-people")).isEqualTo("1");
			operator.click("[data-action=send-notices]");
			operator.waitFor("[data-testid=delivery-counts] [data-channel=in-app][data-state=published]");

			// the person: a banner on the account page, then the whole notice
			person.open(this.issuer + "/account");
			WebElement banner = person.waitFor("[data-testid=important-notice]");
			banner.findElement(By.tagName("a")).click();
			WebElement notice = person.waitFor("[data-testid=breach-notice]");
			assertThat(notice.getAttribute("data-breach")).isEqualTo(id);
			assertThat(notice.getText()).contains(noticeTitle).contains("privacy@tongxing.example");
			String part = language.startsWith("zh") ? "中文：" : "English: ";
			for (String field : new String[] { "description", "cause", "harm", "measures", "remedies" }) {
				assertThat(notice.getText()).contains(part + field + " " + name);
			}
			assertThat(this.breaches.people(id, null, 10)).singleElement()
				.satisfies(p -> assertThat(p.inAppReadAt()).isNotNull());
		}
	}

	private String operatorUrl(String path) {
		return this.issuer + path; // Chromium is signed in to the console (ConsoleSignIn)
	}

	/** A datetime-local input takes its value as the page's script would: typing one depends on the locale. */
	private static void setValue(Chromium chromium, String css, String value) {
		((JavascriptExecutor) chromium.driver()).executeScript("arguments[0].value = arguments[1]",
				chromium.waitFor(css), value);
	}

}
