package dev.tongxing.server.ops;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The metrics, scraped over HTTP as Prometheus does, and the operators' list of failures. */
class OpsMetricsTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@AfterEach
	void resetUpstream() {
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	OpsDriver driver() {
		return new OpsDriver(this.issuer, this.emulator);
	}

	@Test
	void loginsTokensUpstreamCallsAndCircuitsAreCounted() {
		Map<String, String> devSuccess = Map.of("method", "dev", "app", "none", "outcome", "success", "cause", "none");
		Map<String, String> wechatSuccess = Map.of("method", "wechat", "app", DefaultFixture.WEBSITE_APPID, "outcome",
				"success");
		Map<String, String> badSecret = Map.of("method", "wechat", "app", DefaultFixture.WEBSITE_APPID, "outcome",
				"failure", "cause", "app_credentials_invalid");
		Map<String, String> codeGrant = Map.of("grant_type", "authorization_code");
		Map<String, String> exchangeErrcode = Map.of("upstream", "wechat", "endpoint", "/sns/oauth2/access_token",
				"outcome", "errcode");
		Prometheus before = Prometheus.scrape(this.issuer);

		driver().devLoginWithTokens("alice");
		driver().wechatLogin();
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		assertThat(driver().wechatLogin()).endsWith("/login?error=wechat.config");

		Prometheus after = Prometheus.scrape(this.issuer);
		assertThat(after.sum("tongxing_login_attempts_total", devSuccess))
			.isEqualTo(before.sum("tongxing_login_attempts_total", devSuccess) + 1);
		assertThat(after.sum("tongxing_login_attempts_total", wechatSuccess))
			.isEqualTo(before.sum("tongxing_login_attempts_total", wechatSuccess) + 1);
		assertThat(after.sum("tongxing_login_attempts_total", badSecret))
			.isEqualTo(before.sum("tongxing_login_attempts_total", badSecret) + 1);
		assertThat(after.sum("tongxing_tokens_issued_total", codeGrant))
			.isGreaterThanOrEqualTo(before.sum("tongxing_tokens_issued_total", codeGrant) + 1);
		// latency histograms: each upstream call, and our own endpoints
		assertThat(after.sum("tongxing_upstream_latency_seconds_count", exchangeErrcode))
			.isEqualTo(before.sum("tongxing_upstream_latency_seconds_count", exchangeErrcode) + 1);
		assertThat(after.has("tongxing_upstream_latency_seconds_bucket",
				Map.of("endpoint", "/sns/oauth2/access_token", "outcome", "success", "le", "+Inf"))).isTrue();
		assertThat(after.has("http_server_requests_seconds_bucket", Map.of("uri", "/login", "le", "+Inf"))).isTrue();
		assertThat(after.sum("tongxing_upstream_circuit_state",
				Map.of("breaker", "wechat:" + DefaultFixture.WEBSITE_APPID))).isZero();
	}

	@Test
	void textMessagesSentAreCounted() {
		Map<String, String> sent = Map.of("outcome", "sent");
		double before = Prometheus.scrape(this.issuer).sum("tongxing_sms_sent_total", sent);
		TestBrowser browser = new TestBrowser(this.issuer);
		String phone = "13700137" + (int) (Math.random() * 900 + 100);
		HttpResponse<String> page = browser.get("/login/phone");
		browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		assertThat(Prometheus.scrape(this.issuer).sum("tongxing_sms_sent_total", sent)).isEqualTo(before + 1);
	}

	@Test
	void anOpenCircuitShowsInItsGauge() {
		this.breakers.circuitBreaker("wechat:" + DefaultFixture.WEBSITE_APPID).transitionToOpenState();
		assertThat(Prometheus.scrape(this.issuer)
			.sum("tongxing_upstream_circuit_state", Map.of("breaker", "wechat:" + DefaultFixture.WEBSITE_APPID)))
			.isEqualTo(2);
		// a breaker created later is bound too
		this.breakers.circuitBreaker("later:test").transitionToOpenState();
		assertThat(Prometheus.scrape(this.issuer).sum("tongxing_upstream_circuit_state", Map.of("breaker", "later:test")))
			.isEqualTo(2);
	}

	@Test
	void theGuardsOfEveryUpstreamAppAreMeteredWithUpstreamAndApp() {
		driver().wechatLogin();
		this.breakers.circuitBreaker("wechat:" + DefaultFixture.WEBSITE_APPID).transitionToOpenState();
		driver().wechatLogin();
		Prometheus scrape = Prometheus.scrape(this.issuer);
		Map<String, String> website = Map.of("upstream", "wechat", "app", DefaultFixture.WEBSITE_APPID);
		assertThat(scrape.sum("resilience4j_circuitbreaker_state",
				Map.of("upstream", "wechat", "app", DefaultFixture.WEBSITE_APPID, "state", "open")))
			.isEqualTo(1);
		assertThat(scrape.sum("resilience4j_circuitbreaker_not_permitted_calls_total", website)).isPositive();
		assertThat(scrape.has("resilience4j_bulkhead_available_concurrent_calls", website)).isTrue();
	}

	@Test
	void operatorsSeeEachFailureWithItsCauseAndWhatToDo() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		driver().wechatLogin();
		HttpResponse<String> response = driver().admin("GET", "/admin/api/ops/failures?since=PT10M", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode failure = JsonMapper.builder().build().readTree(response.body()).path("failures").get(0);
		assertThat(failure.path("method").asString()).isEqualTo("wechat");
		assertThat(failure.path("app").asString()).isEqualTo(DefaultFixture.WEBSITE_APPID);
		assertThat(failure.path("cause").asString()).isEqualTo("APP_CREDENTIALS_INVALID");
		assertThat(failure.path("upstreamError").asString()).isEqualTo("/sns/oauth2/access_token errcode 40125");
		assertThat(failure.path("explanation").asString()).contains("refused our app's credentials");
		assertThat(failure.path("action").asString()).contains("secret");
		assertThat(failure.path("upstreamAdvice").asString()).startsWith("40125").contains("qualification");
		assertThat(failure.has("clientIp")).isFalse();
		assertThat(driver().admin("GET", "/admin/api/ops/failures?since=yesterday", null).statusCode()).isEqualTo(400);
	}

}
