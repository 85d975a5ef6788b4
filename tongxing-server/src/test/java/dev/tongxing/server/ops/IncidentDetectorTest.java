package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;

/** Incidents open by themselves when a method fails, resolve when it recovers, and carry a public timeline. */
class IncidentDetectorTest extends OpsGatewayTest {

	@Autowired
	ApplicationEventPublisher events;

	void attempts(String method, int successes, int failures, LoginFailureCause cause) {
		for (int i = 0; i < successes; i++) {
			this.events.publishEvent(LoginAttempted.succeeded(method, null, "u" + i, null));
		}
		for (int i = 0; i < failures; i++) {
			this.events.publishEvent(LoginAttempted.failed(method, "app-1", cause, "/x errcode -1", null));
		}
	}

	List<String> timeline(long id) {
		return this.incidents.find(id).orElseThrow().updates().stream().map(Incident.Update::kind).toList();
	}

	@Test
	void aFailingMethodOpensOneIncidentWhichResolvesAfterAWholeWindowOfRecovery() throws Exception {
		String method = "test:" + UUID.randomUUID().toString().substring(0, 8);
		// people cancelling is not the method failing; too few attempts prove nothing
		attempts(method, 0, 30, LoginFailureCause.USER_CANCELLED);
		attempts(method, 0, 19, LoginFailureCause.UPSTREAM_UNAVAILABLE);
		this.detector.check();
		assertThat(this.incidents.openFor(method)).isEmpty();

		attempts(method, 15, 2, LoginFailureCause.UPSTREAM_RATE_LIMITED); // 15 of 36: far below 95%
		// two nodes checking at once open one incident
		CompletableFuture.allOf(CompletableFuture.runAsync(this.detector::check),
				CompletableFuture.runAsync(this.detector::check)).get();
		Incident incident = this.incidents.openFor(method).orElseThrow();
		assertThat(incident.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(this.incidents.since(incident.openedAt().minusSeconds(1)).stream().filter(i -> i.method().equals(method)))
			.hasSize(1);
		assertThat(this.incidents.open(method, null, this.clock.instant())).isEmpty();
		// the TongxingIncidentOpen alert's gauge counts it
		double openNow = Prometheus.scrape(this.issuer).sum("tongxing_incidents_open");
		assertThat(openNow).isGreaterThanOrEqualTo(1).isEqualTo(this.incidents.allOpen().size());

		// an operator tells the public what is going on
		OpsDriver driver = new OpsDriver(this.issuer, this.emulator);
		HttpResponse<String> posted = driver.admin("POST", "/admin/api/ops/incidents/" + incident.id() + "/updates",
				"{\"message\":\"The provider confirmed an outage; sign in with your phone meanwhile.\"}");
		assertThat(posted.statusCode()).isEqualTo(201);
		assertThat(driver.admin("POST", "/admin/api/ops/incidents/" + incident.id() + "/updates", "{\"message\":\" \"}")
			.statusCode()).isEqualTo(400);
		assertThat(driver.admin("GET", "/admin/api/ops/incidents", null).body()).contains(method);

		// recovering within the window that saw the failures is not enough
		attempts(method, 40, 0, null);
		this.detector.check();
		assertThat(this.incidents.openFor(method)).isPresent();
		// a whole quiet window proves nothing either
		this.clock.advance(Duration.ofMinutes(6));
		this.detector.check();
		assertThat(this.incidents.openFor(method)).isPresent();
		// a whole window of successes resolves it
		attempts(method, 3, 0, null);
		this.detector.check();
		assertThat(this.incidents.openFor(method)).isEmpty();
		assertThat(timeline(incident.id())).containsExactly("opened", "update", "resolved");
		assertThat(Prometheus.scrape(this.issuer).sum("tongxing_incidents_open")).isEqualTo(this.incidents.allOpen().size())
			.isLessThan(openNow);
		assertThat(this.incidents.find(incident.id()).orElseThrow().resolvedAt()).isNotNull();
	}

	@Test
	void wechatFailingAtTheEmulatorOpensAnIncidentAndRecoveringResolvesIt() {
		OpsDriver driver = new OpsDriver(this.issuer, this.emulator);
		this.clock.advance(Duration.ofHours(2)); // a window of its own, away from other tests' logins
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
		for (int i = 0; i < 20; i++) {
			assertThat(driver.wechatLogin()).endsWith("/login?error=wechat.unavailable");
		}
		this.detector.check();
		Incident incident = this.incidents.openFor("wechat").orElseThrow();
		assertThat(incident.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(timeline(incident.id())).containsExactly("opened");

		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.advance(Duration.ofMinutes(6));
		driver.wechatLogin();
		driver.wechatLogin();
		this.detector.check();
		assertThat(this.incidents.openFor("wechat")).isEmpty();
		assertThat(timeline(incident.id())).containsExactly("opened", "resolved");
	}

}
