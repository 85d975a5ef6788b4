package dev.tongxing.server.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import org.junit.jupiter.api.Test;

/** A newcomer's five-minute tour, in headless Chromium: the demo client signs in and shows its tokens. */
class DemoClientBrowserTest extends GatewayTest {

	@Test
	void demoSignsInWithPkceAndShowsVerifiedTokens() {
		try (Chromium browser = Chromium.start("en")) {
			browser.open(this.issuer + "/demo");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=dev]");
			browser.click("[data-user=alice]");

			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
			String claims = browser.waitFor("[data-testid=id-token-claims]").getText();
			assertThat(claims).contains("\"sub\"").contains("\"name\": \"alice\"").contains("\"iss\": \"" + this.issuer);
			assertThat(browser.waitFor("[data-testid=userinfo]").getText()).contains("\"sub\"");
			String accessToken = browser.waitFor("[data-testid=access-token]").getText();
			assertThat(accessToken.split("\\.")).hasSize(3);

			// the public client refreshes (rotation) without a secret
			String refreshToken = browser.waitFor("[data-testid=refresh-token]").getText();
			browser.click("[data-action=refresh]");
			new org.openqa.selenium.support.ui.WebDriverWait(browser.driver(), java.time.Duration.ofSeconds(15))
				.until(d -> !d.findElement(org.openqa.selenium.By.cssSelector("[data-testid=refresh-token]"))
					.getText()
					.equals(refreshToken));
			assertThat(browser.driver().findElement(org.openqa.selenium.By.id("error")).isDisplayed()).isFalse();

			// RP-initiated logout comes back to the demo, signed out
			browser.click("[data-action=sign-out]");
			browser.waitFor("[data-action=sign-in]");
			assertThat(browser.url()).isEqualTo(this.issuer + "/demo/");
		}
	}

	@Test
	void theDemoSpeaksChineseToAChineseBrowser() {
		try (Chromium browser = Chromium.start("zh-CN")) {
			browser.open(this.issuer + "/demo");
			assertThat(browser.waitFor("[data-action=sign-in]").getText()).isEqualTo("使用通行登录");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=dev]");
			browser.click("[data-user=bob]");

			// the verdict is a fixed token whatever the language (other browser tests read it), the script's own
			// sentence beside it is Chinese
			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
			assertThat(browser.waitForText("[data-testid=signature-text]", "验证")).isEqualTo("已用网关公布的密钥（JWKS）验证");
			assertThat(browser.waitFor("[data-action=refresh]").getText()).isEqualTo("刷新令牌");
			assertThat(browser.waitFor("[data-action=sign-out]").getText()).isEqualTo("退出登录");
		}
	}

}
