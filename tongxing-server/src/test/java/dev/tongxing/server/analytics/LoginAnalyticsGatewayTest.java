package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.ops.AvailabilityProbes;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.WechatEmulator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Real logins through the gateway and the WeChat emulator (with faults), flushed to the roll-ups, and each
 * figure of the analytics API checked.
 */
class LoginAnalyticsGatewayTest extends GatewayTest {

	static final List<String> TABLES = List.of("analytics_login_hour", "analytics_cause_hour", "analytics_latency_hour",
			"analytics_funnel_hour", "analytics_people_day", "analytics_sms_hour", "analytics_person",
			"analytics_login_day", "analytics_cause_day", "analytics_latency_day", "analytics_funnel_day",
			"analytics_sms_day", "analytics_cohort_day");

	@Autowired
	MutableClock clock;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	LoginAnalytics analytics;

	@Autowired
	RollupStore store;

	@Autowired
	AccountService accounts;

	@Autowired
	AccountDeletion deletion;

	@Autowired
	PersonalDataCipher cipher;

	@Autowired
	AvailabilityProbes probes;

	AnalyticsDriver driver;

	@BeforeEach
	@AfterEach
	void empty() {
		this.store.flush(); // other tests' logins, out of the way
		TABLES.forEach(t -> this.jdbc.sql("DELETE FROM " + t).update());
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.reset();
		this.driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
	}

	String range() {
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		return "from=" + today.minusDays(2) + "&to=" + today.plusDays(1);
	}

	static long n(Map<String, Object> row, String name) {
		return ((Number) row.get(name)).longValue();
	}

	/** A percentile read from the histogram is the lower edge of the bin holding the sample: within 5 % below. */
	static void near(Map<String, Object> row, String name, Duration took) {
		long millis = n(row, name);
		assertThat(millis).as(name + " of " + row).isBetween((long) (took.toMillis() / 1.06), took.toMillis() + 2_000);
	}

	@Test
	void loginsByMethodAppClientPlatformWithCausesLatencyAndFunnel() {
		this.driver.devLogin("alice", Duration.ofSeconds(3));
		assertThat(this.driver.wechatLogin(DefaultFixture.BOB, Duration.ofSeconds(20))).isTrue();
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		assertThat(this.driver.wechatLogin(DefaultFixture.ALICE, Duration.ofSeconds(40))).isFalse();
		this.emulator.control().clearFaults();
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
		assertThat(this.driver.wechatLogin(DefaultFixture.ALICE, Duration.ofSeconds(40))).isFalse();
		this.emulator.control().clearFaults();
		// a page under /login/ that is no login method: not a step of the funnel
		assertThat(this.browser().get("/login/help").statusCode()).isEqualTo(200);

		this.store.flush();

		Map<String, Map<String, Object>> methods = this.driver.rows("/admin/api/analytics/logins?" + range()
				+ "&group-by=method");
		assertThat(methods.keySet()).containsExactly("dev", "wechat");
		Map<String, Object> dev = methods.get("dev");
		assertThat(n(dev, "attempts")).isEqualTo(1);
		assertThat(n(dev, "successes")).isEqualTo(1);
		assertThat(((Number) dev.get("success_rate")).doubleValue()).isEqualTo(1.0);
		near(dev, "p50_ms", Duration.ofSeconds(3));
		near(dev, "p95_ms", Duration.ofSeconds(3));
		Map<String, Object> wechat = methods.get("wechat");
		assertThat(n(wechat, "attempts")).isEqualTo(3);
		assertThat(n(wechat, "successes")).isEqualTo(1);
		assertThat(((Number) wechat.get("success_rate")).doubleValue()).isEqualTo(0.3333);
		near(wechat, "p50_ms", Duration.ofSeconds(40)); // 20, 40, 40: the median is 40
		near(wechat, "p95_ms", Duration.ofSeconds(40));
		@SuppressWarnings("unchecked")
		List<Map<String, Object>> causes = (List<Map<String, Object>>) wechat.get("failure_causes");
		assertThat(causes).extracting(c -> c.get("cause"))
			.containsExactly("app_credentials_invalid", "upstream_unavailable");
		assertThat(causes).allSatisfy(c -> {
			assertThat(n(c, "failures")).isEqualTo(1);
			assertThat((String) c.get("advice")).isNotBlank().doesNotStartWith("ops.cause.");
		});

		Map<String, Map<String, Object>> apps = this.driver.rows("/admin/api/analytics/logins?" + range() + "&group-by=app");
		assertThat(apps.keySet()).containsExactly("-", DefaultFixture.WEBSITE_APPID);
		assertThat(n(apps.get(DefaultFixture.WEBSITE_APPID), "attempts")).isEqualTo(3);
		Map<String, Map<String, Object>> clients = this.driver.rows("/admin/api/analytics/logins?" + range()
				+ "&group-by=client");
		assertThat(clients.keySet()).containsExactly("live-web");
		assertThat(n(clients.get("live-web"), "attempts")).isEqualTo(4);
		assertThat(n(clients.get("live-web"), "successes")).isEqualTo(2);
		Map<String, Map<String, Object>> platforms = this.driver.rows("/admin/api/analytics/logins?" + range()
				+ "&group-by=platform");
		assertThat(platforms.keySet()).containsExactly("web");
		Map<String, Map<String, Object>> days = this.driver.rows("/admin/api/analytics/logins?" + range()
				+ "&group-by=day");
		assertThat(days.values().stream().mapToLong(r -> n(r, "attempts")).sum()).isEqualTo(4);

		Map<String, Map<String, Object>> funnel = this.driver.rows("/admin/api/analytics/funnel?" + range());
		assertThat(funnel.keySet()).containsExactly("page_shown", "method_chosen", "upstream_answered",
				"account_resolved", "consent_given", "tokens_issued");
		assertThat(funnel.values().stream().map(r -> n(r, "reached")).toList()).containsExactly(4L, 4L, 2L, 2L, 2L, 2L);
		assertThat(((Number) funnel.get("upstream_answered").get("rate_from_previous")).doubleValue()).isEqualTo(0.5);
		assertThat(this.driver.rows("/admin/api/analytics/funnel?" + range() + "&platform=app").values().stream()
			.mapToLong(r -> n(r, "reached")).sum()).isZero();

		Map<String, Map<String, Object>> people = this.driver.rows("/admin/api/analytics/people?" + range());
		assertThat(people.values().stream().mapToLong(r -> n(r, "new_people")).sum()).isEqualTo(2);
		assertThat(people.values().stream().mapToLong(r -> n(r, "returning_people")).sum()).isZero();
	}

	@Test
	void theGatewayProbingItsOwnLoginPageIsNoVisitor() {
		this.probes.runAll();
		this.store.flush();
		assertThat(this.driver.rows("/admin/api/analytics/funnel?" + range()).values().stream()
			.mapToLong(r -> n(r, "reached")).sum()).isZero();
	}

	@Test
	void csvExportAndBadParameters() {
		this.driver.devLogin("alice", Duration.ofSeconds(2));
		this.store.flush();
		HttpResponse<String> csv = this.driver.admin("/admin/api/analytics/logins?" + range() + "&format=csv");
		assertThat(csv.statusCode()).isEqualTo(200);
		assertThat(csv.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/csv");
		assertThat(csv.body().split("\r\n")).hasSize(2);
		assertThat(csv.body()).startsWith("key,attempts,successes,success_rate,p50_ms,p95_ms\r\ndev,1,1,1.0,");
		HttpResponse<String> suffix = this.driver.admin("/admin/api/analytics/logins.csv?" + range());
		assertThat(suffix.body()).isEqualTo(csv.body());
		assertThat(this.driver.admin("/admin/api/analytics/funnel.csv?" + range()).body())
			.startsWith("key,reached,rate_from_previous,rate_from_first\r\npage_shown,1,,\r\n");

		for (String bad : List.of("/admin/api/analytics/logins?from=2026-13-01&to=2026-12-01",
				"/admin/api/analytics/logins?from=2026-12-02&to=2026-12-01",
				"/admin/api/analytics/logins?to=2026-12-01",
				"/admin/api/analytics/logins?from=2025-01-01&to=2026-12-01",
				"/admin/api/analytics/logins?from=2026-12-01&to=2026-12-02&group-by=colour",
				"/admin/api/analytics/logins?from=2026-12-01&to=2026-12-02&format=xml",
				"/admin/api/analytics/funnel?from=2026-12-01&to=2026-12-02&platform=tv",
				"/admin/api/analytics/retention?from=12/01/2026&to=2026-12-02")) {
			HttpResponse<String> answer = this.driver.admin(bad);
			assertThat(answer.statusCode()).as(bad).isEqualTo(400);
			assertThat(answer.body()).as(bad).contains("\"error\":\"invalid_request\"").contains("error_description");
		}
		// protected like the rest of the operator API
		assertThat(this.driver.admin("/admin/api/analytics/logins?" + range(), null).statusCode()).isEqualTo(401);
		assertThat(this.driver.admin("/admin/api/analytics/logins?" + range(), "admin:wrong").statusCode())
			.isEqualTo(401);
	}

	@Test
	void retentionCohortsByFirstMethodNewVersusReturningAndDeletionRemovesTheCohortId() {
		this.driver.devLogin("carol", Duration.ofSeconds(1));
		this.driver.devLogin("carol", Duration.ofSeconds(1)); // the same day: counted once
		assertThat(this.driver.wechatLogin(DefaultFixture.BOB, Duration.ofSeconds(1))).isTrue();
		this.store.flush();
		String firstDay = range();
		this.clock.advance(Duration.ofDays(1));
		this.driver.devLogin("carol", Duration.ofSeconds(1));
		this.store.flush();

		Map<String, Map<String, Object>> cohorts = this.driver.rows("/admin/api/analytics/retention?" + firstDay);
		assertThat(cohorts.keySet()).containsExactly("dev", "wechat");
		Map<String, Object> dev = cohorts.get("dev");
		assertThat(n(dev, "people")).isEqualTo(1);
		assertThat(n(dev, "eligible_1d")).isEqualTo(1);
		assertThat(n(dev, "returned_1d")).isEqualTo(1);
		assertThat(((Number) dev.get("retention_1d")).doubleValue()).isEqualTo(1.0);
		assertThat(n(dev, "eligible_7d")).isZero();
		assertThat(dev.get("retention_7d")).isNull();
		Map<String, Object> wechat = cohorts.get("wechat");
		assertThat(n(wechat, "people")).isEqualTo(1);
		assertThat(n(wechat, "returned_1d")).isZero();
		assertThat(((Number) wechat.get("retention_1d")).doubleValue()).isEqualTo(0.0);

		Map<String, Map<String, Object>> people = this.driver.rows("/admin/api/analytics/people?" + range());
		assertThat(people.values().stream().mapToLong(r -> n(r, "new_people")).sum()).isEqualTo(2);
		assertThat(people.values().stream().mapToLong(r -> n(r, "returning_people")).sum()).isEqualTo(1);

		// no account id in the cohorts: a keyed hash of it
		String carol = this.accounts.userFor(new ExternalIdentity.IdentityKey("dev", "carol")).orElseThrow();
		String pid = this.cipher.lookupHash(LoginAnalytics.PSEUDONYM_PURPOSE, carol);
		assertThat(this.jdbc.sql("SELECT pid FROM analytics_person").query(String.class).list()).contains(pid)
			.doesNotContain(carol);
		this.deletion.request(carol);
		this.clock.advance(Duration.ofDays(14));
		assertThat(this.deletion.completeDue()).isGreaterThanOrEqualTo(1);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM analytics_person WHERE pid = :p").param("p", pid)
			.query(Long.class).single()).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM analytics_person").query(Long.class).single()).isEqualTo(1);
		// the counts, which hold no one, stay
		assertThat(this.jdbc.sql("SELECT SUM(attempts) FROM analytics_login_hour").query(Long.class).single())
			.isEqualTo(4);
	}

	@Test
	void smsCostPerSuccessfulPhoneLogin() {
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
		this.driver.phoneLogin("138 0013 8077", "+8613800138077");
		this.clock.advance(Duration.ofMinutes(2)); // one address may ask for a code once a minute
		this.driver.phoneLogin("138 0013 8078", "+8613800138078");
		this.store.flush();
		Map<String, Map<String, Object>> sms = this.driver.rows("/admin/api/analytics/sms?" + range());
		assertThat(sms.keySet()).containsExactly("log");
		Map<String, Object> log = sms.get("log");
		assertThat(n(log, "sent")).isEqualTo(2);
		assertThat(n(log, "phone_successes")).isEqualTo(2);
		assertThat(((Number) log.get("price_per_message")).doubleValue()).isEqualTo(0.05);
		assertThat(((Number) log.get("cost")).doubleValue()).isEqualTo(0.10);
		assertThat(((Number) log.get("cost_per_success")).doubleValue()).isEqualTo(0.05);
		assertThat(n(this.driver.rows("/admin/api/analytics/logins?" + range()).get("phone"), "successes")).isEqualTo(2);
	}

	@Test
	void theTargetIsExportedForTheAlertRule() {
		assertThat(dev.tongxing.server.testing.Prometheus.scrape(this.issuer).sum("tongxing_login_success_target"))
			.isEqualTo(0.92);
	}

	@Test
	void purgeDropsWhatIsOlderThanTheRetention() {
		this.driver.devLogin("alice", Duration.ofSeconds(1));
		this.store.flush();
		this.store.purge();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM analytics_login_hour").query(Long.class).single()).isEqualTo(1);
		this.clock.advance(Duration.ofDays(401));
		this.store.purge();
		for (String table : TABLES) {
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM " + table).query(Long.class).single()).as(table).isZero();
		}
	}

}
