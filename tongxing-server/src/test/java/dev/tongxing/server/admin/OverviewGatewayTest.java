package dev.tongxing.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.analytics.AnalyticsDriver;
import dev.tongxing.server.analytics.Rollups;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.ops.AvailabilityProbes;
import dev.tongxing.server.ops.DependencyIncidents;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The console's overview at {@code /admin} and {@code GET /admin/api/overview}: real logins (dev and WeChat through
 * the emulator, one failing with a fault) flushed to the roll-ups, then each figure on the page in both languages
 * and in the JSON; an open incident; a complaint near and one past its deadline; circuits, probes and quota use.
 */
class OverviewGatewayTest extends GatewayTest {

	static final Pattern TICKET_LINK = Pattern.compile("/login/help/(TX-[0-9A-Z-]+)\\?k=");

	@Autowired
	ApplicationContext context;

	@Autowired
	MutableClock clock;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AvailabilityProbes probes;

	@Autowired
	DependencyIncidents incidents;

	@BeforeEach
	@AfterEach
	void clean() {
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.reset();
		this.jdbc.sql("DELETE FROM complaint_ticket").update();
		this.jdbc.sql("DELETE FROM complaint_login_trail").update();
		this.incidents.resolve("overview-test-dependency");
		forgetTestIncidents();
	}

	/** This test's incidents leave no history on the shared gateway's status page. */
	void forgetTestIncidents() {
		this.jdbc.sql("DELETE FROM ops_incident_update WHERE incident_id IN"
				+ " (SELECT id FROM ops_incident WHERE method LIKE 'overview-test-%')").update();
		this.jdbc.sql("DELETE FROM ops_incident WHERE method LIKE 'overview-test-%'").update();
	}

	/** Browsers signed in to the console as a viewer, one per language (each sign-in takes a fresh TOTP step). */
	static final Map<String, TestBrowser> VIEWERS = new java.util.concurrent.ConcurrentHashMap<>();

	/** A browser signed in to the console as a viewer: the overview is a viewer's. */
	TestBrowser viewer(String language) {
		return VIEWERS.computeIfAbsent(this.issuer + " " + language, k -> ConsoleSignIn.signedIn(
				ConsoleSignIn.operator(this.context, this.issuer, "overview-viewer", OperatorRole.VIEWER), language));
	}

	JsonNode json() {
		HttpResponse<String> answer = api("admin:admin");
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return JsonMapper.builder().build().readTree(answer.body());
	}

	HttpResponse<String> api(String credentials) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/overview"));
			if (credentials != null) {
				request.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	static JsonNode method(JsonNode window, String method) {
		for (JsonNode row : window.path("methods")) {
			if (row.path("method").asString().equals(method)) {
				return row;
			}
		}
		throw new AssertionError("no " + method + " in " + window);
	}

	/** The table row of a method in the page's window ({@code hour} or {@code day}). */
	static String row(String page, String window, String method) {
		int table = page.indexOf("data-testid=\"overview-logins-" + window + "\"");
		assertThat(table).as("the " + window + " table").isPositive();
		int end = page.indexOf("</table>", table);
		String body = page.substring(table, end);
		int at = body.indexOf("data-method=\"" + method + "\"");
		assertThat(at).as(method + " in the " + window + " table").isPositive();
		return body.substring(at, body.indexOf("</tr>", at));
	}

	@Test
	void loginsPerMethodAgainstTheTargetOnThePageAndInTheJson() {
		TestBrowser en = viewer("en");
		TestBrowser zh = viewer("zh-CN");
		long tokensBefore = json().path("tokens_issued").path("last_hour").asLong();
		Rollups.flushAndEmpty(this.context); // the consoles' own sign-ins, and other tests' logins, out of the way

		AnalyticsDriver driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
		driver.devLogin("overview-alice", Duration.ofSeconds(1));
		assertThat(driver.wechatLogin(DefaultFixture.BOB, Duration.ofSeconds(1))).isTrue();
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		assertThat(driver.wechatLogin(DefaultFixture.ALICE, Duration.ofSeconds(1))).isFalse();
		this.emulator.control().clearFaults();
		Rollups.flush(this.context);
		this.probes.runAll(); // the probes' stable_token calls spend the WeChat apps' daily budget

		JsonNode overview = json();
		assertThat(overview.path("success_target").asDouble()).isEqualTo(0.92);
		for (String window : List.of("last_hour", "last_day")) {
			JsonNode w = overview.path("logins").path(window);
			assertThat(w.path("attempts").asLong()).as(window).isEqualTo(3);
			assertThat(w.path("successes").asLong()).as(window).isEqualTo(2);
			JsonNode dev = method(w, "dev");
			assertThat(dev.path("attempts").asLong()).isEqualTo(1);
			assertThat(dev.path("successes").asLong()).isEqualTo(1);
			assertThat(dev.path("success_rate").asDouble()).isEqualTo(1.0);
			assertThat(dev.path("below_target").asBoolean()).isFalse();
			JsonNode wechat = method(w, "wechat");
			assertThat(wechat.path("attempts").asLong()).isEqualTo(2);
			assertThat(wechat.path("successes").asLong()).isEqualTo(1);
			assertThat(wechat.path("success_rate").asDouble()).isEqualTo(0.5);
			assertThat(wechat.path("below_target").asBoolean()).isTrue();
		}
		// the two code exchanges, on this node
		JsonNode tokens = overview.path("tokens_issued");
		assertThat(tokens.path("scope").asString()).isEqualTo("node");
		assertThat(tokens.path("last_hour").asLong() - tokensBefore).isEqualTo(2);
		assertThat(tokens.path("last_5_minutes").asLong()).isGreaterThanOrEqualTo(2);
		// the website app's breaker (this node's), the probes (any node's), the daily budget the probes spent
		String breaker = "wechat:" + DefaultFixture.WEBSITE_APPID;
		assertThat(overview.path("upstreams").path("circuits").findValuesAsString("name")).contains(breaker);
		assertThat(overview.path("upstreams").path("probes").findValuesAsString("name")).contains("gateway");
		JsonNode quota = null;
		for (JsonNode q : overview.path("upstreams").path("quotas")) {
			if (q.path("upstream").asString().equals(breaker) && q.path("api").asString().equals("stable-token")) {
				quota = q;
			}
		}
		assertThat(quota).as("the stable-token budget of " + breaker).isNotNull();
		assertThat(quota.path("day_limit").asLong()).isEqualTo(500_000);
		assertThat(quota.path("day_remaining").asLong()).isLessThan(500_000);
		assertThat(quota.path("day_used").asDouble()).isPositive()
			.isCloseTo((500_000 - quota.path("day_remaining").asDouble()) / 500_000, org.assertj.core.data.Offset.offset(1e-6));

		// one more login, not flushed: this node's counts in memory are in the figures already
		driver.devLogin("overview-bob", Duration.ofSeconds(1));
		overview = json();
		assertThat(method(overview.path("logins").path("last_hour"), "dev").path("attempts").asLong()).isEqualTo(2);
		tokens = overview.path("tokens_issued");

		HttpResponse<String> english = en.get("/admin", "en");
		assertThat(english.statusCode()).isEqualTo(200);
		String page = english.body();
		assertThat(page).contains("data-testid=\"admin-index\"").contains("data-testid=\"overview\"")
			.contains("Target success rate: 92.0 %").doesNotContain("??");
		for (String window : List.of("hour", "day")) {
			String wechat = row(page, window, "wechat");
			assertThat(wechat).contains("data-below-target=\"true\"").contains(">2<").contains(">1<")
				.contains("50.0 %").contains("UNDER the target");
			String dev = row(page, window, "dev");
			assertThat(dev).contains("data-below-target=\"false\"").contains(">2<").contains("100.0 %")
				.contains("on target").doesNotContain("UNDER");
		}
		assertThat(page).contains("href=\"/admin/analytics\" data-testid=\"overview-link\" data-figure=\"logins\"")
			.contains("href=\"/status\" data-testid=\"overview-link\" data-figure=\"incidents\"")
			.contains("href=\"/admin/complaints\" data-testid=\"overview-link\" data-figure=\"complaints\"")
			.contains("data-breaker=\"" + breaker + "\"").contains("data-probe=\"gateway\" data-ok=\"true\"")
			.contains("data-upstream=\"" + breaker + "\" data-api=\"stable-token\"")
			.contains("of 500,000 calls of today used")
			.contains("This node (" + tokens.path("node").asString() + ") only")
			.contains("data-last-hour=\"" + tokens.path("last_hour").asLong() + "\"")
			.contains("No incident is open.");
		// the index's links stay
		assertThat(page).contains("data-page=\"analytics\"").contains("data-page=\"complaints\"")
			.contains("data-page=\"breaches\"").contains("data-page=\"status\"").contains("data-page=\"api\"");

		String chinese = zh.get("/admin", "zh-CN").body();
		assertThat(chinese).contains("概览").contains("目标成功率：92.0 %").contains("最近一小时").contains("最近一天")
			.contains("低于目标").contains("达到目标").contains("仅本节点").contains("当前没有未结束的故障。")
			.doesNotContain("??").doesNotContain("UNDER the target");
		assertThat(row(chinese, "hour", "wechat")).contains("低于目标");
	}

	@Test
	void anOpenIncidentShows() {
		this.incidents.open("overview-test-dependency");
		JsonNode incident = null;
		for (JsonNode i : json().path("incidents")) {
			if (i.path("method").asString().equals("overview-test-dependency")) {
				incident = i;
			}
		}
		assertThat(incident).as("the open incident in the JSON").isNotNull();
		assertThat(incident.path("opened_by").asString()).isEqualTo("dependency");
		String page = viewer("en").get("/admin", "en").body();
		assertThat(page).contains("data-incident=\"" + incident.path("id").asLong()
				+ "\" data-method=\"overview-test-dependency\"").doesNotContain("No incident is open.")
			.contains("(noticed by the component that failed)");
		this.incidents.resolve("overview-test-dependency");
		// one the login success rate opened, with its cause explained (as the detector records them)
		this.jdbc.sql("""
				INSERT INTO ops_incident (method, open_method, cause, opened_at, opened_by)
				VALUES ('overview-test-method', 'overview-test-method', 'UPSTREAM_UNAVAILABLE', :at, 'logins')""")
			.param("at", this.clock.instant().atOffset(java.time.ZoneOffset.UTC))
			.update();
		try {
			String en = viewer("en").get("/admin", "en").body();
			assertThat(en).contains("data-method=\"overview-test-method\"").contains("(noticed by the success rate of logins)")
				.contains("data-cause=\"UPSTREAM_UNAVAILABLE\"")
				.contains("The upstream was down, busy or too slow").doesNotContain("??");
			String zh = viewer("zh-CN").get("/admin", "zh-CN").body();
			assertThat(zh).contains("（由 登录成功率 发现）").doesNotContain("??");
		}
		finally {
			forgetTestIncidents();
		}
		assertThat(json().path("incidents").findValuesAsString("method")).doesNotContain("overview-test-dependency");
	}

	/** A ticket opened {@code ago} ago (the clock set back while it is submitted). */
	String ticketOpened(Duration ago, String phone) {
		this.clock.advance(ago.negated());
		try {
			TestBrowser person = browser();
			HttpResponse<String> form = person.get("/login/help");
			HttpResponse<String> posted = person.submit(form, "/login/help", Map.of("contact", phone, "method",
					"wechat", "description", "I cannot sign in with WeChat.", "happenedAt", ""));
			assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
			Matcher link = TICKET_LINK.matcher(posted.headers().firstValue("Location").orElseThrow());
			assertThat(link.find()).isTrue();
			return link.group(1);
		}
		finally {
			this.clock.reset();
		}
	}

	@Test
	void complaintsNearAndPastTheirDeadlineShow() {
		String calm = ticketOpened(Duration.ofMinutes(5), "13800138000"); // 1 h 55 min left: not near
		String near = ticketOpened(Duration.ofMinutes(91), "13800138002"); // 29 min left
		String late = ticketOpened(Duration.ofMinutes(122), "13800138003"); // 2 min overdue
		JsonNode complaints = json().path("complaints_near_deadline");
		assertThat(complaints.path("escalate_before").asString()).isEqualTo("PT30M");
		assertThat(complaints.path("total").asInt()).isEqualTo(2);
		List<String> numbers = new ArrayList<>(complaints.path("tickets").findValuesAsString("number"));
		assertThat(numbers).containsExactly(late, near); // overdue first, then by deadline
		JsonNode first = complaints.path("tickets").get(0);
		assertThat(first.path("overdue").asBoolean()).isTrue();
		assertThat(first.path("seconds_left").asLong()).isBetween(-180L, -110L);
		JsonNode second = complaints.path("tickets").get(1);
		assertThat(second.path("overdue").asBoolean()).isFalse();
		assertThat(second.path("seconds_left").asLong()).isBetween(1680L, 1740L);

		String page = viewer("en").get("/admin", "en").body();
		assertThat(page).contains("href=\"/admin/complaints/" + near + "\"").contains("href=\"/admin/complaints/" + late + "\"")
			.doesNotContain(calm).contains("OVERDUE by 2 min").contains("min left")
			.contains("due within 30 minutes or overdue: 2.");
		String chinese = viewer("zh-CN").get("/admin", "zh-CN").body();
		assertThat(chinese).contains("已超时 2 分钟").containsPattern("剩余 (28|29) 分钟").contains("临近时限的投诉");
	}

	@Test
	void theJsonIsTheOperatorApisAndThePageTheConsoles() {
		assertThat(api(null).statusCode()).isEqualTo(401);
		assertThat(api("admin:wrong").statusCode()).isEqualTo(401);
		assertThat(browser().get("/admin", "en").statusCode()).isEqualTo(401);
		// a signed-in person who is no operator gets no figures
		TestBrowser person = browser();
		person.follow(person.submit(person.get("/login/dev"), "/login/dev", Map.of("username", "overview-nobody")), null);
		assertThat(person.get("/admin/api/overview").statusCode()).isEqualTo(401);
	}

}
