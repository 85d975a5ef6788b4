package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The analytics page in headless Chromium, in English and Chinese: tables, both uPlot charts and the target line. */
class AnalyticsPageBrowserTest extends GatewayTest {

	@Autowired
	MutableClock clock;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RollupStore store;

	@BeforeEach
	void oneLogin() {
		this.clock.reset();
		this.store.flush();
		LoginAnalyticsGatewayTest.TABLES.forEach(t -> this.jdbc.sql("DELETE FROM " + t).update());
		new AnalyticsDriver(this.issuer, this.emulator, this.clock).devLogin("alice", Duration.ofSeconds(2));
		this.store.flush();
	}

	@Autowired
	ApplicationContext context;

	/** The page's operator: reading figures is a viewer's. */
	ConsoleSignIn.Operator viewer() {
		return ConsoleSignIn.operator(this.context, this.issuer, "analytics-viewer", OperatorRole.VIEWER);
	}

	String operatorUrl(String path) {
		return this.issuer + path; // opened in a Chromium signed in to the console (ConsoleSignIn)
	}

	@Test
	void pageInEnglishAndChinese() {
		check("en", "Login analytics", "Target success rate: 92 %", "Login page shown", "Test user");
		check("zh-CN", "登录分析", "目标成功率：92 %", "显示登录页", null);
	}

	private void check(String language, String title, String target, String firstStep, String unused) {
		try (Chromium chromium = Chromium.start(language)) {
			ConsoleSignIn.signIn(chromium, viewer());
			oneLogin(); // the console's own sign-in was a login too: counted, then cleared with the rest
			chromium.open(operatorUrl("/admin/analytics"));
			chromium.waitFor("[data-testid=analytics]");
			assertThat(chromium.driver().getTitle()).startsWith(title);
			assertThat(chromium.waitFor("[data-testid=analytics-target]").getText()).isEqualTo(target);
			assertThat(chromium.waitFor("[data-testid=table-methods] tr[data-key=dev] td:nth-child(2)").getText())
				.isEqualTo("1");
			assertThat(chromium.waitFor("[data-testid=table-methods] tr[data-key=dev] td:nth-child(4)").getText())
				.isEqualTo("100.0 %");
			assertThat(chromium.waitFor("[data-testid=table-funnel] tr[data-key=page_shown] td").getText())
				.isEqualTo(firstStep);
			// both charts drawn by uPlot from the jar: the success line, the target line, one line per method
			new WebDriverWait(chromium.driver(), Duration.ofSeconds(15)).until(ExpectedConditions
				.attributeToBe(By.cssSelector("[data-testid=chart-success]"), "data-rendered", "3"));
			new WebDriverWait(chromium.driver(), Duration.ofSeconds(15)).until(ExpectedConditions
				.attributeToBe(By.cssSelector("[data-testid=chart-share]"), "data-rendered", "2"));
			assertThat(chromium.driver().findElements(By.cssSelector("[data-testid=chart-success] canvas"))).hasSize(1);
			assertThat(chromium.driver().findElement(By.cssSelector("[data-testid=chart-success] .u-legend")).getText())
				.contains("target");
		}
	}

	@Test
	void thePageAndItsChartLibraryAreForOperatorsOnly() {
		AnalyticsDriver driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
		assertThat(driver.admin("/admin/analytics", null).statusCode()).isEqualTo(401);
		assertThat(driver.admin("/admin/analytics/assets/uPlot.iife.min.js", null).statusCode()).isEqualTo(401);
		// Basic, the JSON API's operator, does not open them
		assertThat(driver.admin("/admin/analytics/assets/uPlot.iife.min.js").statusCode()).isEqualTo(401);
		TestBrowser console = ConsoleSignIn.signedIn(viewer(), "en");
		HttpResponse<String> lib = console.get("/admin/analytics/assets/uPlot.iife.min.js");
		assertThat(lib.statusCode()).isEqualTo(200);
		assertThat(lib.body()).contains("uPlot");
		assertThat(console.get("/admin/analytics/assets/secret.properties").statusCode()).isEqualTo(404);
		HttpResponse<String> bad = console.get("/admin/analytics?from=yesterday");
		assertThat(bad.statusCode()).isEqualTo(200);
		assertThat(bad.body()).contains("data-testid=\"analytics-invalid-range\"");
	}

}
