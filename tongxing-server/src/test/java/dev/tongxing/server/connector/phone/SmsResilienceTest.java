package dev.tongxing.server.connector.phone;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The SMS provider's calls are guarded too: a webhook slower than the deadline (500 ms here, set under
 * {@code tongxing.resilience}, tighter than {@code tongxing.sms.timeout}) fails fast, is never sent twice, says
 * so honestly on the page and counts as a failed phone login; after enough failures the breaker stops calling.
 */
class SmsResilienceTest extends GatewayTest {

	static final AtomicLong delayMs = new AtomicLong();

	/** While set, the webhook holds every request until it is counted down (or 30 s pass). */
	static volatile CountDownLatch held;

	static final AtomicInteger received = new AtomicInteger();

	/** What the provider answers the availability probe's HEAD with. */
	static final AtomicInteger headStatus = new AtomicInteger(405);

	static final FakeHttpServer webhook = new FakeHttpServer() {
		@Override
		Reply handle(HttpExchange exchange, String body) {
			if (exchange.getRequestMethod().equals("HEAD")) {
				return new Reply(headStatus.get(), "text/plain", ""); // the availability probe: sends nothing
			}
			received.incrementAndGet();
			try {
				CountDownLatch hold = held;
				if (hold != null) {
					hold.await(30, TimeUnit.SECONDS);
				}
				Thread.sleep(delayMs.get());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return new Reply(200, "text/plain", "");
		}
	};

	@DynamicPropertySource
	static void sender(DynamicPropertyRegistry registry) {
		registry.add("tongxing.sms.sender", () -> "webhook");
		registry.add("tongxing.sms.webhook-url", () -> webhook.uri() + "sms");
		registry.add("tongxing.sms.timeout", () -> "5s");
		registry.add("tongxing.resilience.upstreams.sms.timeout", () -> "500ms");
	}

	@Autowired
	LoginEvents events;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	MutableClock clock;

	@AfterEach
	void reset() {
		delayMs.set(0);
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@AfterAll
	static void stop() {
		webhook.close();
	}

	@Test
	void aSlowProviderFailsFastOnceWithAnHonestMessageAndCountsAsAFailedLogin() {
		held = new CountDownLatch(1);
		received.set(0);
		TestBrowser browser = browser();
		HttpResponse<String> form = browser.get("/login/phone", "en");
		int before = this.events.size();
		long started = System.nanoTime();
		HttpResponse<String> page;
		try {
			page = browser.submit(form, "/login/phone/send", PhoneConsentForm.agreed(form, Map.of("phone", "13800138111")));
		}
		finally {
			held.countDown();
			held = null;
		}
		// the provider had not answered at all: the guard's 500 ms deadline ended it, long before the 5 s socket timeout
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("短信服务暂时没有响应，请一分钟后再试，或换一种方式登录。")
			.doesNotContain("Exception", "timeout");
		assertThat(received.get()).as("an SMS is never sent twice").isEqualTo(1);
		LoginAttempted failed = failures(before).getLast();
		assertThat(failed.method()).isEqualTo("phone");
		assertThat(failed.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(failed.upstreamError()).isEqualTo("webhook timeout");
	}

	@Autowired
	dev.tongxing.server.ops.AvailabilityProbes probes;

	@Test
	void theProviderIsProbedWithoutSendingAnything() {
		received.set(0);
		Map<String, dev.tongxing.server.ops.AvailabilityProbes.ProbeResult> results = new java.util.LinkedHashMap<>();
		this.probes.runAll().forEach(result -> results.put(result.probe(), result));
		assertThat(results.get("sms:webhook").ok()).as("a HEAD refused with 405 still shows a provider that answers")
			.isTrue();
		headStatus.set(503);
		try {
			this.probes.runAll().forEach(result -> results.put(result.probe(), result));
		}
		finally {
			headStatus.set(405);
		}
		assertThat(results.get("sms:webhook").ok()).isFalse();
		assertThat(results.get("sms:webhook").detail()).contains("HTTP 503");
		assertThat(received.get()).as("probing never sends a message").isZero();
	}

	@Test
	void theBreakerStopsCallingAFailingProvider() {
		delayMs.set(1500);
		for (int i = 0; i < 5; i++) {
			TestBrowser browser = browser();
			HttpResponse<String> form = browser.get("/login/phone");
			browser.submit(form, "/login/phone/send", PhoneConsentForm.agreed(form, Map.of("phone", "1390013900" + i)));
		}
		assertThat(this.breakers.circuitBreaker("sms:webhook").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		delayMs.set(0);
		received.set(0);
		int before = this.events.size();
		TestBrowser browser = browser();
		HttpResponse<String> form = browser.get("/login/phone", "zh-CN");
		HttpResponse<String> page = browser.submit(form, "/login/phone/send",
				PhoneConsentForm.agreed(form, Map.of("phone", "13700137000")));
		assertThat(page.body()).contains("短信服务暂时没有响应");
		assertThat(received.get()).as("an open breaker does not call the provider").isZero();
		assertThat(failures(before).getLast().upstreamError()).isEqualTo("webhook circuit_open");
	}

	@Test
	void aHealthyProviderStillSends() {
		received.set(0);
		TestBrowser browser = browser();
		HttpResponse<String> form = browser.get("/login/phone", "en");
		HttpResponse<String> page = browser.submit(form, "/login/phone/send",
				PhoneConsentForm.agreed(form, Map.of("phone", "13600136000")));
		assertThat(page.body()).doesNotContain("短信服务暂时没有响应").contains("role=\"status\"");
		assertThat(received.get()).isEqualTo(1);
		this.clock.advance(Duration.ofMinutes(2)); // past this address's send limit, for the other tests
	}

	List<LoginAttempted> failures(int since) {
		List<LoginAttempted> failures = this.events.since(since).stream().filter(e -> !e.success()).toList();
		assertThat(failures).as("a failed login was recorded").isNotEmpty();
		return failures;
	}

}
