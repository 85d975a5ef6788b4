package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * An upstream outage seen by the probes alone (nobody tries to sign in) opens an incident for the login
 * method after three failed rounds in a row, shown on /status and in the feed, and resolves it after two
 * good rounds; the login-rate detector leaves it alone.
 */
class ProbeIncidentsTest extends OpsGatewayTest {

	@Autowired
	AvailabilityProbes probes;

	@Test
	void aProbeOutageOpensAnIncidentThatResolvesWhenTheProbesRecover() {
		// emulator outage of one app's stable_token, for the next ten minutes of the emulator's clock
		FaultRule outage = FaultRule.outage("/cgi-bin/stable_token", Instant.now().minusSeconds(60).toString(),
				Instant.now().plus(Duration.ofMinutes(10)).toString());
		outage.appid = DefaultFixture.WEBSITE_APPID;
		this.emulator.control().addFault(outage);

		this.probes.runAll();
		this.clock.advance(Duration.ofMinutes(1));
		this.probes.runAll();
		assertThat(this.incidents.openFor("wechat")).as("two failures in a row are not yet an incident").isEmpty();
		this.clock.advance(Duration.ofMinutes(1));
		this.probes.runAll();

		Incident incident = this.incidents.openFor("wechat").orElseThrow();
		assertThat(incident.openedBy()).isEqualTo(Incident.PROBES);
		assertThat(incident.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		HttpResponse<String> status = new TestBrowser(this.issuer).get("/status", "en");
		assertThat(state(status.body(), "wechat")).as("one app of several failing: degraded").isEqualTo("degraded");
		assertThat(status.body()).contains("data-method=\"wechat\" data-open=\"true\"")
			.contains("The provider was unavailable or slow");
		String feed = new TestBrowser(this.issuer).get("/status/feed.atom").body();
		assertThat(feed).contains("#incident-" + incident.id());

		// the login-rate detector does not resolve what the probes opened
		this.detector.check();
		assertThat(this.incidents.openFor("wechat")).isPresent();

		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.advance(Duration.ofMinutes(1));
		this.probes.runAll();
		assertThat(this.incidents.openFor("wechat")).as("one good round is not yet recovery").isPresent();
		this.clock.advance(Duration.ofMinutes(1));
		this.probes.runAll();

		assertThat(this.incidents.openFor("wechat")).isEmpty();
		Incident resolved = this.incidents.find(incident.id()).orElseThrow();
		assertThat(resolved.resolvedAt()).isNotNull();
		assertThat(resolved.updates()).extracting(Incident.Update::kind).containsExactly("opened", "resolved");
		status = new TestBrowser(this.issuer).get("/status", "en");
		assertThat(state(status.body(), "wechat")).isEqualTo("operational");
		assertThat(status.body()).contains("data-method=\"wechat\" data-open=\"false\"");
	}

	@Test
	void aMethodWhoseEveryProbeFailsIsAnOutage() {
		this.emulator.control().addFault(FaultRule.errcode("/cgi-bin/stable_token", -1, 1.0));
		for (int i = 0; i < 3; i++) {
			this.probes.runAll();
			this.clock.advance(Duration.ofMinutes(1));
		}
		assertThat(this.incidents.openFor("wechat")).isPresent();
		assertThat(state(new TestBrowser(this.issuer).get("/status", "en").body(), "wechat")).isEqualTo("outage");
	}

	static String state(String page, String method) {
		Matcher matcher = Pattern.compile("data-method=\"" + Pattern.quote(method) + "\" data-state=\"([a-z]+)\"")
			.matcher(page);
		assertThat(matcher.find()).as("method %s on the status page", method).isTrue();
		return matcher.group(1);
	}

}
