package dev.tongxing.server.ratelimit;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * SMS bombing: after the configured number of sends to one number, the next send shows a proof-of-work
 * challenge instead of texting; a solved challenge lets one send through; a person's first send never sees
 * one. And a cap on code checks per number, over all its codes.
 */
class SmsChallengeTest {

	private static final Pattern CHALLENGE = Pattern.compile("data-challenge=\"([^\"]+)\"");

	static GatewayNode node;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = new HashMap<>();
		properties.put("tongxing.rate-limits.people.sends-before-challenge", 2);
		properties.put("tongxing.rate-limits.people.address-sends-before-challenge", 100);
		properties.put("tongxing.rate-limits.people.device-sends-before-challenge", 5);
		properties.put("tongxing.rate-limits.people.verifications-per-address-per-hour", 5);
		properties.put("tongxing.rate-limits.people.verifications-per-number-per-day", 3);
		properties.put("tongxing.rate-limits.people.challenge-difficulty", 12);
		// the hard send limits out of the way: this test is about the challenge before them
		for (String who : new String[] { "per-number", "per-ip" }) {
			properties.put("tongxing.phone.limits." + who + ".per-minute", 100);
			properties.put("tongxing.phone.limits." + who + ".per-day", 100);
		}
		int port = FreePort.find();
		node = GatewayNode.start("http://127.0.0.1:" + port, port, properties);
	}

	@AfterAll
	static void stop() {
		node.close();
	}

	@Test
	void theSendAfterTheConfiguredCountNeedsASolvedChallenge() {
		TestBrowser browser = new TestBrowser(node.url());
		assertSent(send(browser, "13800138001", Map.of()));
		assertSent(send(browser, "13800138001", Map.of()));

		HttpResponse<String> third = send(browser, "13800138001", Map.of());
		assertChallenged(third);
		String challenge = challenge(third);

		// a wrong solution is no solution
		assertChallenged(send(browser, "13800138001", Map.of("challenge", challenge, "challenge_solution", "x1")));
		String solution = ProofOfWork.solve(challenge);
		assertSent(send(browser, "13800138001", Map.of("challenge", challenge, "challenge_solution", solution)));
		// once only
		assertChallenged(send(browser, "13800138001", Map.of("challenge", challenge, "challenge_solution", solution)));
		// bound to its number
		HttpResponse<String> other = send(browser, "13800138002", Map.of("challenge", challenge(third), "challenge_solution", solution));
		assertSent(other);

		assertThat(Prometheus.scrape(node.url()).sum("tongxing_people_limited_total",
				Map.of("limit", "sms_challenge_solved"))).isEqualTo(1.0);
	}

	@Test
	void aFirstSendIsNeverChallenged() {
		assertSent(send(new TestBrowser(node.url()), "13900139009", Map.of()));
	}

	@Test
	void codeChecksPerNumberAreCappedOverAllItsCodes() {
		TestBrowser browser = new TestBrowser(node.url());
		assertSent(send(browser, "13700137007", Map.of()));
		HttpResponse<String> page = browser.get("/login/phone");
		for (int i = 0; i < 3; i++) {
			HttpResponse<String> wrong = browser.submit(page, "/login/phone/sign-in",
					Map.of("phone", "+8613700137007", "code", "00000" + i));
			assertThat(wrong.body()).contains("role=\"alert\"").doesNotContain("次数过多");
		}
		HttpResponse<String> fourth = browser.submit(page, "/login/phone/sign-in",
				Map.of("phone", "+8613700137007", "code", "000009"));
		assertThat(fourth.body()).contains("此号码尝试次数过多");
	}

	@Test
	void oneBrowserMeetsTheChallengeWhateverNumbersItAsksFor() {
		TestBrowser browser = new TestBrowser(node.url());
		for (int i = 0; i < 5; i++) {
			assertSent(send(browser, "1360013600" + i, Map.of()));
		}
		assertThat(browser.cookie("tx_device")).matches("[A-Za-z0-9_-]{22}");
		// a sixth number, never texted before: the browser has asked for enough today
		assertChallenged(send(browser, "13600136009", Map.of()));
		// the same number from a browser of its own is an ordinary first send
		assertSent(send(new TestBrowser(node.url()), "13600136008", Map.of()));
	}

	@Test
	void codeChecksFromOneAddressAreCappedOverAllNumbers() {
		// connections from 127.0.0.3: an address of this test's own
		TestBrowser browser;
		try {
			browser = new TestBrowser(node.url(), java.net.InetAddress.getByName("127.0.0.3"));
		}
		catch (java.net.UnknownHostException ex) {
			throw new AssertionError(ex);
		}
		assertSent(send(browser, "13500135001", Map.of()));
		assertSent(send(browser, "13500135002", Map.of()));
		HttpResponse<String> page = browser.get("/login/phone");
		for (int i = 0; i < 5; i++) {
			HttpResponse<String> wrong = browser.submit(page, "/login/phone/sign-in",
					Map.of("phone", "+86" + (i < 3 ? "13500135001" : "13500135002"), "code", "00000" + i));
			assertThat(wrong.body()).contains("role=\"alert\"").doesNotContain("次数过多");
		}
		HttpResponse<String> sixth = browser.submit(page, "/login/phone/sign-in",
				Map.of("phone", "+8613500135002", "code", "000009"));
		assertThat(sixth.body()).contains("您所在网络的验证码尝试次数过多");
		assertThat(Prometheus.scrape(node.url()).sum("tongxing_people_limited_total",
				Map.of("limit", "verifications_per_address"))).isEqualTo(1.0);
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

	private static void assertChallenged(HttpResponse<String> page) {
		assertThat(page.body()).contains("data-testid=\"phone-challenge\"")
			.contains("data-challenge-kind=\"pow\"")
			.contains("data-challenge-difficulty=\"12\"")
			.contains("data-testid=\"phone-challenge-solution\"")
			.contains("/js/challenge.js")
			.doesNotContain("data-testid=\"phone-notice\"");
	}

	private static String challenge(HttpResponse<String> page) {
		Matcher m = CHALLENGE.matcher(page.body());
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

}
