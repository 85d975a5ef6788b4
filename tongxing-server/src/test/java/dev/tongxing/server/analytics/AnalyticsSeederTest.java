package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The seeding command's roll-ups (at a small scale here) are read back by the API as written. */
class AnalyticsSeederTest extends GatewayTest {

	@Autowired
	AnalyticsSeeder seeder;

	@Autowired
	RollupStore store;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	org.springframework.context.ApplicationContext context;

	@Autowired
	WechatEmulator emulator;

	@BeforeEach
	@AfterEach
	void empty() {
		this.clock.reset();
		this.store.flush();
		LoginAnalyticsGatewayTest.TABLES.forEach(t -> this.jdbc.sql("DELETE FROM " + t).update());
	}

	@Test
	void seededRollUpsAnswerThroughTheApi() {
		AnalyticsSeeder.Seeded seeded = this.seeder.seed(2_000, 10, 7);
		assertThat(seeded.loginRows()).isEqualTo(10 * 24 * 3 * 2 * 4);
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		String range = "from=" + today.minusDays(9) + "&to=" + today;
		AnalyticsDriver driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
		Map<String, Map<String, Object>> methods = driver.rows("/admin/api/analytics/logins?" + range);
		assertThat(methods.keySet()).containsExactly("oidc:corp", "phone", "wechat");
		long attempts = this.jdbc.sql("SELECT SUM(attempts) FROM analytics_login_hour").query(Long.class).single();
		assertThat(methods.values().stream().mapToLong(r -> LoginAnalyticsGatewayTest.n(r, "attempts")).sum())
			.isEqualTo(attempts);
		assertThat(methods.values()).allSatisfy(r -> assertThat(LoginAnalyticsGatewayTest.n(r, "p95_ms"))
			.isGreaterThanOrEqualTo(LoginAnalyticsGatewayTest.n(r, "p50_ms")));
		Map<String, Map<String, Object>> days = driver.rows("/admin/api/analytics/logins?" + range + "&group-by=day");
		assertThat(days).hasSize(10);
		Map<String, Map<String, Object>> cohorts = driver.rows("/admin/api/analytics/retention?" + range);
		assertThat(cohorts.values().stream().mapToLong(r -> LoginAnalyticsGatewayTest.n(r, "people")).sum())
			.isEqualTo(2_000);
		// WeChat people come back more often in the made-up data, as in the seed's app
		assertThat(((Number) cohorts.get("wechat").get("retention_1d")).doubleValue())
			.isGreaterThan(((Number) cohorts.get("phone").get("retention_1d")).doubleValue());
		// every answer reads seeded rows: the funnel narrows step by step, people and texts are counted per day
		assertThat(seeded.funnelRows()).isEqualTo(10 * 24 * 2 * 4 * LoginAnalytics.STEPS.size());
		Map<String, Map<String, Object>> funnel = driver.rows("/admin/api/analytics/funnel?" + range);
		assertThat(funnel.keySet()).containsExactlyElementsOf(LoginAnalytics.STEPS);
		assertThat(LoginAnalyticsGatewayTest.n(funnel.get("page_shown"), "reached"))
			.isGreaterThan(LoginAnalyticsGatewayTest.n(funnel.get("tokens_issued"), "reached"))
			.isEqualTo(this.jdbc.sql("SELECT SUM(reached) FROM analytics_funnel_hour WHERE step = 'page_shown'")
				.query(Long.class).single());
		assertThat(driver.rows("/admin/api/analytics/people?" + range)).hasSize(10)
			.allSatisfy((day, r) -> assertThat(LoginAnalyticsGatewayTest.n(r, "new_people")).isPositive());
		assertThat(driver.rows("/admin/api/analytics/sms?" + range).keySet()).containsExactly("aliyun", "tencent");
		assertThat(seeded.smsRows()).isEqualTo(10 * 24 * 2);
		assertThat(seeded.peopleDayRows()).isEqualTo(10 * 3);
		// the page names each failure cause with the failure catalog's explanation and advice, in both languages
		dev.tongxing.server.testing.ConsoleSignIn.Operator viewer = dev.tongxing.server.testing.ConsoleSignIn.operator(
				this.context, this.issuer, "seeded-analytics-viewer", dev.tongxing.server.console.OperatorRole.VIEWER);
		for (String language : java.util.List.of("en", "zh-CN")) {
			var page = dev.tongxing.server.testing.ConsoleSignIn.signedIn(viewer, language)
				.get("/admin/analytics?" + range, language);
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(page.body()).as(language).doesNotContain("??ops.cause")
				.contains(language.equals("en") ? "The upstream was down, busy or too slow" : "上游故障、繁忙或太慢");
		}
	}

}
