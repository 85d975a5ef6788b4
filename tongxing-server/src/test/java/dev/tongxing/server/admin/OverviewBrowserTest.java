package dev.tongxing.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.analytics.AnalyticsDriver;
import dev.tongxing.server.analytics.Rollups;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** The overview in headless Chromium, in English and Chinese, signed in to the console as a viewer. */
class OverviewBrowserTest extends GatewayTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	MutableClock clock;

	@Autowired
	WechatEmulator emulator;

	@AfterEach
	void clean() {
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.clock.reset();
	}

	@Test
	void overviewInEnglishAndChinese() {
		check("en", "Operators", "Overview", "UNDER the target", "on target", "Login analytics");
		check("zh-CN", "运营后台", "概览", "低于目标", "达到目标", "登录分析");
	}

	private void check(String language, String title, String heading, String below, String onTarget, String analytics) {
		ConsoleSignIn.Operator viewer = ConsoleSignIn.operator(this.context, this.issuer, "overview-browser-viewer",
				OperatorRole.VIEWER);
		try (Chromium chromium = Chromium.start(language)) {
			ConsoleSignIn.signIn(chromium, viewer);
			Rollups.flushAndEmpty(this.context); // the console's own sign-in was a login too
			AnalyticsDriver driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
			driver.devLogin("overview-carol", Duration.ofSeconds(1));
			this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
			assertThat(driver.wechatLogin(DefaultFixture.ALICE, Duration.ofSeconds(1))).isFalse();
			this.emulator.control().clearFaults();
			Rollups.flush(this.context);

			chromium.open(this.issuer + "/admin");
			chromium.waitFor("[data-testid=overview]");
			assertThat(chromium.driver().getTitle()).startsWith(title);
			assertThat(chromium.waitFor("[data-testid=overview] h2").getText()).isEqualTo(heading);
			assertThat(chromium.waitFor("[data-testid=overview-target]").getText()).contains("92.0 %");
			for (String window : new String[] { "hour", "day" }) {
				String table = "[data-testid=overview-logins-" + window + "] ";
				assertThat(chromium.waitFor(table + "tr[data-method=wechat] [data-figure=attempts]").getText()).isEqualTo("1");
				assertThat(chromium.waitFor(table + "tr[data-method=wechat] [data-figure=rate]").getText()).isEqualTo("0.0 %");
				assertThat(chromium.waitFor(table + "tr[data-method=wechat] [data-testid=below-target]").getText())
					.isEqualTo(below);
				assertThat(chromium.waitFor(table + "tr[data-method=dev] [data-figure=rate]").getText()).isEqualTo("100.0 %");
				assertThat(chromium.waitFor(table + "tr[data-method=dev] [data-figure=target]").getText()).isEqualTo(onTarget);
			}
			assertThat(chromium.waitFor("[data-testid=overview-tokens]").getText()).isNotBlank();
			assertThat(chromium.waitFor("[data-testid=overview-tokens-scope]").getText()).contains(
					chromium.driver().findElement(By.cssSelector("[data-testid=overview]")).getAttribute("data-node"));
			// no script on the page: it works without JavaScript
			assertThat(chromium.driver().findElements(By.tagName("script"))).isEmpty();
			// the index's links stay, and the figures lead to their pages
			assertThat(chromium.waitFor("a[data-testid=admin-link][data-page=analytics]").getText()).isEqualTo(analytics);
			chromium.click("a[data-testid=overview-link][data-figure=logins]");
			chromium.waitFor("[data-testid=analytics]");
			assertThat(chromium.url()).endsWith("/admin/analytics");
		}
	}

}
