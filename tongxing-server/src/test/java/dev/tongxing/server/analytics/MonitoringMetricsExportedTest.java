package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.deploy.MonitoringFiles;
import dev.tongxing.server.ops.AvailabilityProbes;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Every metric the shipped alert rules ({@code deploy/prometheus/tongxing-rules.yml}) and Grafana dashboard
 * ({@code deploy/grafana/tongxing-dashboard.json}) use is one a running gateway exports at
 * {@code /actuator/prometheus}, once logins went through it (WeChat through the emulator, a phone login, a dev
 * login) and the availability probes ran: a renamed metric breaks this test, not an operator's alerting.
 */
class MonitoringMetricsExportedTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	MutableClock clock;

	@Autowired
	AvailabilityProbes probes;

	@Test
	void everyMetricTheDashboardAndTheRulesUseIsExported() {
		AnalyticsDriver driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
		try {
			assertThat(driver.wechatLogin(DefaultFixture.BOB, Duration.ofSeconds(2))).isTrue();
		}
		finally {
			this.emulator.control().settings().autoApproveUser = null;
		}
		driver.phoneLogin("138 0013 8301", "+8613800138301");
		driver.devLogin("alice", Duration.ofSeconds(1));
		this.probes.runAll(); // stable_token: the daily budget's gauges

		Set<String> used = MonitoringFiles.metricsUsed();
		assertThat(used).contains("tongxing_login_attempts_total", "tongxing_login_success_target",
				"tongxing_incidents_open", "tongxing_upstream_circuit_state", "tongxing_wechat_quota_total",
				"tongxing_wechat_quota_day_remaining", "tongxing_complaints_awaiting_first_response");
		Set<String> exported = Prometheus.scrape(this.issuer).samples().keySet();
		Set<String> missing = new TreeSet<>(used);
		missing.removeAll(exported);
		missing.removeAll(MonitoringFiles.PROMETHEUS_OWN);
		assertThat(missing).as("used by the rules or the dashboard but not exported").isEmpty();
	}

}
