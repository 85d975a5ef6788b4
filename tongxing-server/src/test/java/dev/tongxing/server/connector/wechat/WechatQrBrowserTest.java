package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The website QR login as a person does it, in headless Chromium: the demo client, the login page's
 * {@code data-provider="wechat"}, the emulator's QR page (pick a user, scan, confirm), and back.
 */
class WechatQrBrowserTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Test
	void signInWithWechatFromTheDemoClient() {
		String nickname = DefaultFixture.config()
			.users.stream()
			.filter(u -> u.id.equals(DefaultFixture.CHEN))
			.findFirst()
			.orElseThrow().nickname; // 陈小明🐼: emoji and all
		try (Chromium browser = Chromium.start("zh-CN")) {
			browser.open(this.issuer + "/demo");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=wechat]");
			browser.click("[data-testid=user-option][data-user=" + DefaultFixture.CHEN + "]");
			browser.click("[data-action=scan]");
			browser.click("[data-action=confirm]");
			// invited to bind a phone as a backup: "not now"
			browser.click("[data-action=skip]");
			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
			String claims = browser.waitFor("[data-testid=id-token-claims]").getText();
			assertThat(claims).contains("\"name\": \"" + nickname + "\"");
		}
	}

}
