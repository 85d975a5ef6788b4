package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SMS challenge as Tencent Cloud Captcha and as Aliyun captcha 2.0 ({@code tongxing.sms.challenge.kind}), on
 * two gateways whose providers are local stand-ins checking the signature: a first send is never challenged and
 * its page loads no captcha script; the send after the configured count shows the provider's widget (its script,
 * and a Content-Security-Policy that allows it, on that page only); the widget's answer, checked with the
 * provider, lets one send through; a provider in trouble refuses the send (fail-closed) with words saying so. In
 * both languages, and in headless Chromium against stand-in widget scripts.
 */
class SmsCaptchaGatewayTest {

	static FakeTencentCaptcha tencent;

	static FakeAliyunCaptcha aliyun;

	static GatewayNode tencentNode;

	static GatewayNode aliyunNode;

	@BeforeAll
	static void start() {
		Clock clock = Clock.systemUTC();
		tencent = new FakeTencentCaptcha("AKIDcaptcha", "captcha-secret", clock, 190000001L, "app-secret");
		aliyun = new FakeAliyunCaptcha("LTAIcaptcha", "aliyun-secret", clock, "scene-7");
		Map<String, Object> t = limits();
		t.put("tongxing.sms.challenge.kind", "tencent");
		t.put("tongxing.sms.challenge.tencent.secret-id", "AKIDcaptcha");
		t.put("tongxing.sms.challenge.tencent.secret-key", "captcha-secret");
		t.put("tongxing.sms.challenge.tencent.captcha-app-id", 190000001L);
		t.put("tongxing.sms.challenge.tencent.app-secret-key", "app-secret");
		t.put("tongxing.sms.challenge.tencent.endpoint", tencent.uri());
		t.put("tongxing.sms.challenge.tencent.script-url", tencent.uri() + "TCaptcha.js");
		t.put("tongxing.sms.challenge.tencent.csp", origin(tencent));
		int port = FreePort.find();
		tencentNode = GatewayNode.start("http://127.0.0.1:" + port, port, t);
		Map<String, Object> a = limits();
		a.put("tongxing.sms.challenge.kind", "aliyun");
		a.put("tongxing.sms.challenge.aliyun.access-key-id", "LTAIcaptcha");
		a.put("tongxing.sms.challenge.aliyun.access-key-secret", "aliyun-secret");
		a.put("tongxing.sms.challenge.aliyun.scene-id", "scene-7");
		a.put("tongxing.sms.challenge.aliyun.prefix", "pfx7");
		a.put("tongxing.sms.challenge.aliyun.endpoint", aliyun.uri());
		a.put("tongxing.sms.challenge.aliyun.script-url", aliyun.uri() + "AliyunCaptcha.js");
		a.put("tongxing.sms.challenge.aliyun.csp", origin(aliyun));
		port = FreePort.find();
		aliyunNode = GatewayNode.start("http://127.0.0.1:" + port, port, a);
	}

	static String origin(FakeHttpServer fake) {
		String uri = fake.uri().toString();
		return uri.substring(0, uri.length() - 1);
	}

	static Map<String, Object> limits() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("tongxing.rate-limits.people.sends-before-challenge", 1);
		properties.put("tongxing.rate-limits.people.address-sends-before-challenge", 100);
		properties.put("tongxing.rate-limits.people.device-sends-before-challenge", 100);
		for (String who : new String[] { "per-number", "per-ip" }) {
			properties.put("tongxing.phone.limits." + who + ".per-minute", 100);
			properties.put("tongxing.phone.limits." + who + ".per-day", 100);
		}
		return properties;
	}

	@AfterAll
	static void stop() {
		tencentNode.close();
		aliyunNode.close();
		tencent.close();
		aliyun.close();
	}

	@Test
	void tencentAfterTheCountShowsItsWidgetAndAPassedTicketSendsOnce() {
		TestBrowser browser = new TestBrowser(tencentNode.url()).header("Accept-Language", "en");
		double passedBefore = passed();
		HttpResponse<String> first = send(browser, "13800138101", Map.of());
		assertSent(first);
		assertThat(first.body()).doesNotContain("TCaptcha.js").doesNotContain("/js/captcha.js");
		assertThat(csp(first)).doesNotContain(origin(tencent));

		HttpResponse<String> second = send(browser, "13800138101", Map.of());
		assertChallenged(second, "tencent");
		assertThat(second.body()).contains("data-captcha-script=\"" + tencent.uri() + "TCaptcha.js\"")
			.contains("data-captcha-app-id=\"190000001\"")
			.contains("name=\"challenge_randstr\"")
			.contains("data-captcha-lang=\"en\"")
			.contains("Please complete the check below, then send again.");
		assertThat(csp(second)).contains("script-src 'self' " + origin(tencent)).contains("frame-src " + origin(tencent));

		tencent.pass("tk-1", "rs-1");
		int before = tencent.accepted.size();
		assertSent(send(browser, "13800138101", Map.of("challenge_solution", "tk-1", "challenge_randstr", "rs-1")));
		assertThat(tencent.accepted).hasSize(before + 1);
		assertThat(tencent.accepted.getLast().path("Ticket").asString()).isEqualTo("tk-1");
		// the same ticket again: the service says reused, the page asks again
		assertChallenged(send(browser, "13800138101", Map.of("challenge_solution", "tk-1", "challenge_randstr", "rs-1")),
				"tencent");
		assertThat(passed()).isEqualTo(passedBefore + 1);
		// guarded like every upstream call: a circuit breaker of its own
		assertThat(Prometheus.scrape(tencentNode.url()).has("tongxing_upstream_circuit_state",
				Map.of("breaker", "captcha:tencent"))).isTrue();
	}

	private static double passed() {
		return Prometheus.scrape(tencentNode.url()).sum("tongxing_sms_challenge_checks_total",
				Map.of("kind", "tencent", "outcome", "passed"));
	}

	@Test
	void tencentInTroubleRefusesTheSendInWordsThatSaySo() {
		TestBrowser browser = new TestBrowser(tencentNode.url()).header("Accept-Language", "zh-CN");
		assertSent(send(browser, "13800138102", Map.of()));
		HttpResponse<String> challenged = send(browser, "13800138102", Map.of());
		assertChallenged(challenged, "tencent");
		assertThat(challenged.body()).contains("请先完成下方的安全验证").contains("data-captcha-lang=\"cn\"");
		tencent.pass("tk-2", "rs-2");
		tencent.trouble = "internal-error";
		try {
			HttpResponse<String> refused = send(browser, "13800138102",
					Map.of("challenge_solution", "tk-2", "challenge_randstr", "rs-2"));
			assertChallenged(refused, "tencent");
			assertThat(refused.body()).contains("暂时无法确认安全验证结果");
		}
		finally {
			tencent.trouble = null;
		}
		assertSent(send(browser, "13800138102", Map.of("challenge_solution", "tk-2", "challenge_randstr", "rs-2")));
	}

	@Test
	void aliyunAfterTheCountShowsItsWidgetAndAPassedParameterSendsOnce() {
		TestBrowser browser = new TestBrowser(aliyunNode.url()).header("Accept-Language", "zh-CN");
		HttpResponse<String> first = send(browser, "13800138201", Map.of());
		assertSent(first);
		assertThat(first.body()).doesNotContain("AliyunCaptcha.js").doesNotContain("/js/captcha.js");

		HttpResponse<String> second = send(browser, "13800138201", Map.of());
		assertChallenged(second, "aliyun");
		assertThat(second.body()).contains("data-captcha-script=\"" + aliyun.uri() + "AliyunCaptcha.js\"")
			.contains("data-captcha-scene-id=\"scene-7\"")
			.contains("data-captcha-prefix=\"pfx7\"")
			.contains("data-captcha-region=\"cn\"")
			.doesNotContain("challenge_randstr")
			.contains("请先完成下方的安全验证");
		assertThat(csp(second)).contains("script-src 'self' " + origin(aliyun));

		aliyun.pass("param-1");
		assertSent(send(browser, "13800138201", Map.of("challenge_solution", "param-1")));
		assertThat(aliyun.accepted.getLast()).containsEntry("CaptchaVerifyParam", "param-1")
			.containsEntry("SceneId", "scene-7");
		assertChallenged(send(browser, "13800138201", Map.of("challenge_solution", "param-1")), "aliyun");
		// in English too
		HttpResponse<String> english = send(new TestBrowser(aliyunNode.url()).header("Accept-Language", "en"),
				"13800138201", Map.of());
		assertChallenged(english, "aliyun");
		assertThat(english.body()).contains("Please complete the check below, then send again.")
			.contains("data-captcha-lang=\"en\"");
	}

	@Test
	void aFirstSendIsNeverChallenged() {
		assertSent(send(new TestBrowser(tencentNode.url()), "13900139101", Map.of()));
		assertSent(send(new TestBrowser(aliyunNode.url()), "13900139101", Map.of()));
	}

	@Test
	void inChromiumTheTencentWidgetsTicketLetsTheSendThrough() {
		widgetFlow(tencentNode, "13700137101");
	}

	@Test
	void inChromiumTheAliyunWidgetsParameterLetsTheSendThrough() {
		widgetFlow(aliyunNode, "13700137201");
	}

	private static void widgetFlow(GatewayNode node, String phone) {
		try (Chromium browser = Chromium.start("en")) {
			browser.open(node.url() + "/login/phone");
			browser.waitFor("input[name=phone]").sendKeys(phone);
			browser.click("[data-consent-item=phone-number]");
			browser.click("[data-action=send-code]");
			browser.waitForText("[role=status]", "We sent a code");
			browser.click("[data-action=send-code]"); // a second code: the challenge is due
			browser.waitFor("[data-testid=phone-challenge] [data-action=open-captcha]");
			assertThat(browser.waitFor("[data-action=send-code]").isEnabled()).isFalse();
			browser.click("[data-action=open-captcha]");
			browser.waitForText("[data-testid=phone-challenge-status]", "Check complete");
			assertThat(browser.waitFor("[data-action=send-code]").isEnabled()).isTrue();
			browser.click("[data-action=send-code]");
			assertThat(browser.waitForText("[role=status]", "We sent a code")).startsWith("We sent a code");
		}
	}

	private static String csp(HttpResponse<String> page) {
		return page.headers().firstValue("Content-Security-Policy").orElse("");
	}

	private static HttpResponse<String> send(TestBrowser browser, String phone, Map<String, String> extra) {
		HttpResponse<String> page = browser.get("/login/phone");
		Map<String, String> form = new LinkedHashMap<>(extra);
		form.put("phone", phone);
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, form));
		assertThat(sent.statusCode()).isEqualTo(200);
		return sent;
	}

	private static void assertSent(HttpResponse<String> page) {
		assertThat(page.body()).contains("data-testid=\"phone-notice\"").doesNotContain("data-testid=\"phone-challenge\"");
	}

	private static void assertChallenged(HttpResponse<String> page, String kind) {
		assertThat(page.body()).contains("data-testid=\"phone-challenge\"")
			.contains("data-challenge-kind=\"" + kind + "\"")
			.contains("data-testid=\"phone-challenge-solution\"")
			.contains("data-action=\"open-captcha\"")
			.contains("/js/captcha.js")
			.doesNotContain("/js/challenge.js")
			.doesNotContain("data-testid=\"phone-notice\"");
	}

}
