package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The probes call every WeChat app and the gateway itself, keep the results, and show a failing upstream. */
class AvailabilityProbesTest extends GatewayTest {

	@Autowired
	AvailabilityProbes probes;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@AfterEach
	void reset() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@Test
	void everyAppAndTheGatewayItselfAreProbed() {
		long sessions = this.jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION").query(Long.class).single();
		Map<String, Boolean> ok = this.probes.runAll()
			.stream()
			.collect(Collectors.toMap(AvailabilityProbes.ProbeResult::probe, AvailabilityProbes.ProbeResult::ok));
		assertThat(ok).containsEntry("wechat:" + DefaultFixture.WEBSITE_APPID, true)
			.containsEntry("wechat:" + DefaultFixture.MINI_PROGRAM_APPID, true)
			.containsEntry("gateway", true);
		// the gateway's probe walked up to its login page and left no session behind
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION").query(Long.class).single()).isEqualTo(sessions);
	}

	@Test
	void aFailingUpstreamShowsInTheResultsAndToOperators() throws Exception {
		FaultRule outage = FaultRule.errcode("/cgi-bin/stable_token", -1, 1.0);
		outage.appid = DefaultFixture.WEBSITE_APPID;
		this.emulator.control().addFault(outage);
		this.probes.runAll();
		var latest = this.probes.latest();
		assertThat(latest.get("wechat:" + DefaultFixture.WEBSITE_APPID).ok()).isFalse();
		assertThat(latest.get("wechat:" + DefaultFixture.WEBSITE_APPID).detail()).contains("errcode -1");
		assertThat(latest.get("wechat:" + DefaultFixture.MOBILE_APPID).ok()).isTrue();

		HttpResponse<String> api = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/api/ops/probes"))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(api.statusCode()).isEqualTo(200);
		assertThat(api.body()).contains("wechat:" + DefaultFixture.WEBSITE_APPID).contains("\"ok\":false");
	}

}
