package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.core.EventPusher;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Follow-to-sign-in as a person does it, in headless Chromium: the demo client, the login page's
 * {@code data-provider="wechat-follow"}, the QR page, a scan and follow in (emulated) WeChat, and the page's own
 * long poll taking the browser on to the client, with no click.
 */
class FollowBrowserTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	DevFollowEndpoint dev;

	@BeforeEach
	void wechatPushesHere() {
		FollowTesting.pushesHere(this.emulator, this.dev);
	}

	@Test
	void scanningAndFollowingSignsTheWaitingPageIn() {
		EmulatorConfig.UserConfig person = new EmulatorConfig.UserConfig();
		person.id = "browser-" + Long.toHexString(System.nanoTime());
		person.nickname = "Follower";
		this.emulator.control().addUser(person);
		try (Chromium browser = Chromium.start("zh-CN")) {
			browser.open(this.issuer + "/demo");
			browser.click("[data-action=sign-in]");
			browser.click("[data-provider=wechat-follow]");
			String ticket = browser.waitFor("[data-testid=wechat-follow]").getAttribute("data-ticket");
			assertThat(browser.waitFor("[data-testid=follow-qr]").getAttribute("src")).startsWith("data:image/svg+xml");
			EventPusher.Delivery push = this.emulator.control().scanQrCode(ticket, person.id, true);
			assertThat(push.event()).isEqualTo("subscribe");
			assertThat(push.delivered()).as("%s", push.attempts()).isTrue();
			// no click: the page's long poll hears of the scan and takes the browser on, back to the client
			assertThat(browser.waitForText("[data-testid=signature]", "valid")).isEqualTo("valid (RS256)");
		}
	}

}
