package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.core.RequestLog;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every WeChat call is guarded per app: a deadline (1 s here), a bulkhead (2 calls in flight here) and a
 * circuit breaker; only calls that are safe to repeat are retried. Faults come from the emulator.
 */
class WechatResilienceTest extends GatewayTest {

	@DynamicPropertySource
	static void guard(DynamicPropertyRegistry registry) {
		registry.add("tongxing.resilience.upstreams.wechat.timeout", () -> "1s");
		registry.add("tongxing.resilience.upstreams.wechat.bulkhead-size", () -> "2");
	}

	@Autowired
	WechatEmulator emulator;

	@Autowired
	WechatConnector wechat;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	LoginEvents events;

	@AfterEach
	void reset() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@Test
	void aSlowCodeExchangeFailsFastAsATimeoutAndIsNotSentAgain() {
		FaultRule slow = new FaultRule();
		slow.type = "latency";
		slow.endpoint = "/sns/oauth2/access_token";
		slow.appid = DefaultFixture.MOBILE_APPID;
		slow.distribution = "uniform";
		slow.minMs = 5500;
		slow.maxMs = 6000;
		this.emulator.control().addFault(slow);
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		int before = this.events.size();
		long started = System.nanoTime();
		Reply reply = exchange(DefaultFixture.MOBILE_APPID, code);
		Duration took = Duration.ofNanos(System.nanoTime() - started);
		assertThat(reply.status()).as(reply.body()).isEqualTo(400);
		assertThat(reply.string("error")).isEqualTo("temporarily_unavailable");
		assertThat(reply.body()).doesNotContain("Exception", "at dev.");
		assertThat(took).as("the guard's 1 s deadline ended it, not WeChat's answer nor the 5 s socket timeout")
			.isLessThan(Duration.ofMillis(4500));
		LoginAttempted failed = lastFailure(before);
		assertThat(failed.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(failed.upstreamError()).isEqualTo("/sns/oauth2/access_token timeout");
		assertThat(eventually(() -> this.emulator.control().requests(entry -> code.equals(entry.param("code")))))
			.as("a code exchange is never retried, even after a timeout")
			.hasSize(1);
	}

	@Test
	void aCodeExchangeIsNeverRetriedOnATransientError() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0)
			.forApp(DefaultFixture.MOBILE_APPID));
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.BOB);
		int before = this.events.size();
		assertThat(exchange(DefaultFixture.MOBILE_APPID, code).string("error")).isEqualTo("temporarily_unavailable");
		assertThat(lastFailure(before).upstreamError()).isEqualTo("/sns/oauth2/access_token errcode -1");
		assertThat(this.emulator.control().requests(entry -> code.equals(entry.param("code")))).hasSize(1);
	}

	@Test
	void miniProgramCodesAreNeverSentTwiceEvenOnTransientErrors() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/jscode2session", -1, 1.0)
			.forApp(DefaultFixture.MINI_PROGRAM_APPID));
		String code = this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.BOB);
		assertThat(exchange(DefaultFixture.MINI_PROGRAM_APPID, code).string("error")).isEqualTo("temporarily_unavailable");
		assertThat(this.emulator.control().requests("/sns/jscode2session")
			.stream()
			.filter(entry -> code.equals(entry.param("js_code")))).hasSize(1);

		// the phone code is spent by WeChat on its first use: a transient error there is not retried either
		this.emulator.control().clearFaults();
		this.emulator.control().addFault(FaultRule.errcode(PHONE_NUMBER_PATH, -1, 1.0)
			.forApp(DefaultFixture.MINI_PROGRAM_APPID));
		this.emulator.control().clearRequests();
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token",
				this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.BOB));
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MINI_PROGRAM_APPID);
		form.put("policy_version", "1");
		form.put("phone_code", this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.BOB));
		form.put("phone_consent", PhoneConsentForm.nativeVersion(this.issuer));
		new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret", form);
		assertThat(this.emulator.control().requests(PHONE_NUMBER_PATH)).hasSize(1);
	}

	static final String PHONE_NUMBER_PATH = "/wxa/business/getuserphonenumber";

	@Test
	void callsThatAreSafeToRepeatAreRetriedWithBackoff() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/userinfo", -1, 1.0).forApp(DefaultFixture.MOBILE_APPID));
		this.emulator.control().clearRequests();
		Reply reply = exchange(DefaultFixture.MOBILE_APPID,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE));
		assertThat(reply.status()).as("the profile is a nicety: the login goes ahead without it").isEqualTo(200);
		List<RequestLog.Entry> userinfo = this.emulator.control().requests("/sns/userinfo");
		assertThat(userinfo).as("three tries in all").hasSize(3);
		assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).hasSize(1);
	}

	@Test
	void aFullBulkheadRefusesWithoutCallingWechat() throws Exception {
		WechatApp website = this.wechat.apps().first(WechatAppKind.WEBSITE).orElseThrow();
		this.emulator.control().addFault(FaultRule.latencyFixed("/cgi-bin/stable_token", 700).forApp(website.appid()));
		this.emulator.control().clearRequests();
		Bulkhead bulkhead = this.wechat.api().bulkhead(website.appid());
		try (var threads = Executors.newVirtualThreadPerTaskExecutor()) {
			List<CompletableFuture<WechatApiClient.AppToken>> inFlight = List.of(
					CompletableFuture.supplyAsync(() -> this.wechat.api().stableToken(website), threads),
					CompletableFuture.supplyAsync(() -> this.wechat.api().stableToken(website), threads));
			long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
			while (bulkhead.getMetrics().getAvailableConcurrentCalls() > 0 && System.nanoTime() < deadline) {
				Thread.sleep(5);
			}
			assertThat(bulkhead.getMetrics().getAvailableConcurrentCalls()).isZero();
			assertThatThrownBy(() -> this.wechat.api().stableToken(website))
				.isInstanceOfSatisfying(WechatUnavailableException.class, ex -> {
					assertThat(ex.reason()).isEqualTo(WechatUnavailableException.Reason.BULKHEAD_FULL);
					assertThat(WechatFailures.detail(ex)).isEqualTo("/cgi-bin/stable_token bulkhead_full");
					assertThat(WechatFailures.cause(ex)).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
				});
			for (CompletableFuture<WechatApiClient.AppToken> call : inFlight) {
				assertThat(call.get().accessToken()).isNotBlank();
			}
		}
		assertThat(this.emulator.control().requests("/cgi-bin/stable_token"))
			.as("the refused call never reached WeChat")
			.hasSize(2);
		assertThat(this.wechat.api().breaker(website.appid()).getState())
			.as("our own limit says nothing about WeChat")
			.isEqualTo(CircuitBreaker.State.CLOSED);
	}

	@Test
	void theBreakerOpensForTheFailingAppOnly() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0)
			.forApp(DefaultFixture.MOBILE_APPID));
		for (int i = 0; i < 5; i++) {
			exchange(DefaultFixture.MOBILE_APPID,
					this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE));
		}
		assertThat(this.wechat.api().breaker(DefaultFixture.MOBILE_APPID).getState()).isEqualTo(CircuitBreaker.State.OPEN);
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		int before = this.events.size();
		assertThat(exchange(DefaultFixture.MOBILE_APPID, code).string("error")).isEqualTo("temporarily_unavailable");
		LoginAttempted refused = lastFailure(before);
		assertThat(refused.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(refused.upstreamError()).isEqualTo("/sns/oauth2/access_token circuit_open");
		assertThat(this.emulator.control().requests(entry -> code.equals(entry.param("code"))))
			.as("an open breaker does not call WeChat")
			.isEmpty();

		Reply miniProgram = exchange(DefaultFixture.MINI_PROGRAM_APPID,
				this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.BOB));
		assertThat(miniProgram.status()).as("another app's breaker is its own").isEqualTo(200);
		assertThat(this.wechat.api().breaker(DefaultFixture.MINI_PROGRAM_APPID).getState())
			.isEqualTo(CircuitBreaker.State.CLOSED);
	}

	Reply exchange(String appid, String code) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", appid);
		form.put("scope", "openid profile");
		form.put("policy_version", "1");
		return new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret", form);
	}

	LoginAttempted lastFailure(int since) {
		List<LoginAttempted> failures = this.events.since(since).stream().filter(e -> !e.success()).toList();
		assertThat(failures).as("a failed login was recorded").isNotEmpty();
		return failures.getLast();
	}

	/** The emulator logs a request once it has answered: waits for a slow one to show (and for no second). */
	static <T> List<T> eventually(Supplier<List<T>> read) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		List<T> seen = read.get();
		while (seen.isEmpty() && System.nanoTime() < deadline) {
			sleep(100);
			seen = read.get();
		}
		sleep(500);
		return read.get();
	}

	static void sleep(long ms) {
		try {
			Thread.sleep(ms);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
