package dev.tongxing.server.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/** The two lists in a real browser, in both languages, reached from the policy page in one click each. */
class PrivacyListsBrowserTest extends GatewayTest {

	@Test
	void bothListsAreOneClickFromThePolicyInChinese() {
		try (Chromium chromium = Chromium.start("zh-CN")) {
			chromium.open(this.issuer + "/privacy/policy");
			chromium.click("[data-testid=privacy-lists] [data-testid=privacy-list-collected]");
			chromium.waitFor("[data-testid=personal-information-list]");
			assertThat(chromium.driver().findElement(By.cssSelector("h1")).getText()).isEqualTo("个人信息收集清单");
			assertThat(chromium.driver().findElement(By.cssSelector("[data-item=phone-number]")).getText())
				.contains("手机号码").contains("敏感个人信息");
			chromium.click("nav [data-testid=privacy-list-shared]");
			chromium.waitFor("[data-testid=third-party-list]");
			assertThat(chromium.driver().findElement(By.cssSelector("[data-recipient=partner]")).getText())
				.contains("Partner Media Co., Ltd.");
		}
	}

	@Test
	void bothListsAreOneClickFromThePolicyInEnglish() {
		try (Chromium chromium = Chromium.start("en")) {
			chromium.open(this.issuer + "/privacy/policy");
			chromium.click("[data-testid=privacy-lists] [data-testid=privacy-list-shared]");
			chromium.waitFor("[data-testid=third-party-list]");
			assertThat(chromium.driver().findElement(By.cssSelector("[data-recipient=partner]")).getText())
				.contains("A partner app").contains("Separate company").contains("Phone number");
			assertThat(chromium.driver().findElement(By.cssSelector("[data-testid=privacy-officer]")).getText())
				.contains("Wang Fang");
		}
	}

}
