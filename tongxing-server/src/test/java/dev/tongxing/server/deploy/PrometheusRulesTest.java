package dev.tongxing.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The shipped alert rules and Grafana dashboard: {@code promtool check rules} and {@code promtool test rules}
 * (Debian's {@code prometheus} package, which {@code bin/services.sh} installs), the alerts the README promises,
 * and a dashboard every query of which reads the chosen Prometheus. In CI ({@code CI=true}) a missing promtool
 * fails the test; elsewhere it is skipped.
 */
class PrometheusRulesTest {

	@TempDir
	Path temp;

	@Test
	void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
		String promtool = promtool();
		Result check = run(promtool, "check", "rules", MonitoringFiles.path(MonitoringFiles.RULES).toString());
		assertThat(check.exit()).as(check.output()).isZero();
		assertThat(check.output()).contains("SUCCESS: " + MonitoringFiles.alerts().size() + " rules found");
		Result unit = run(promtool, "test", "rules", MonitoringFiles.path(MonitoringFiles.RULE_TESTS).toString());
		assertThat(unit.exit()).as(unit.output()).isZero();
		assertThat(unit.output()).contains("SUCCESS");
	}

	@Test
	void promtoolRefusesABrokenRuleAndAWrongExpectation() throws Exception {
		String promtool = promtool();
		String rules = Files.readString(MonitoringFiles.path(MonitoringFiles.RULES));
		Path broken = this.temp.resolve("tongxing-rules.yml");
		Files.writeString(broken, rules.replace("max(tongxing_incidents_open) > 0", "max(tongxing_incidents_open > 0"));
		Result check = run(promtool, "check", "rules", broken.toString());
		assertThat(check.exit()).as(check.output()).isNotZero();
		// the unit tests notice an alert that fires for the wrong method
		Files.writeString(broken, rules);
		Path tests = this.temp.resolve("tongxing-rules.test.yml");
		Files.writeString(tests,
				Files.readString(MonitoringFiles.path(MonitoringFiles.RULE_TESTS)).replace("method: wechat", "method: phone"));
		Result unit = run(promtool, "test", "rules", tests.toString());
		assertThat(unit.exit()).as(unit.output()).isNotZero();
		assertThat(unit.output()).contains("FAILED");
	}

	@Test
	void theRulesAlertOnWhatTheIssueAsks() {
		assertThat(MonitoringFiles.alerts()).containsKeys("TongxingLoginSuccessUnderTarget", "TongxingIncidentOpen",
				"TongxingUpstreamCircuitOpen", "TongxingWechatQuotaNearItsEnd", "TongxingWechatQuotaSpent",
				"TongxingComplaintNearDeadline", "TongxingComplaintDeadlinePassed");
		// each alert is unit-tested
		String unitTests = Repository.read(MonitoringFiles.RULE_TESTS);
		MonitoringFiles.alerts().keySet().stream()
			.filter(alert -> !alert.equals("TongxingNodeDown") && !alert.equals("TongxingLoginFailuresHigh")
					&& !alert.equals("TongxingUpstreamSlow"))
			.forEach(alert -> assertThat(unitTests).as(alert).contains("alertname: " + alert));
	}

	@Test
	void everyDashboardQueryReadsTheChosenPrometheus() {
		JsonNode dashboard = MonitoringFiles.dashboard();
		assertThat(dashboard.path("uid").asString()).isEqualTo("tongxing-gateway");
		List<JsonNode> targets = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			if (panel.path("type").asString().equals("row")) {
				continue;
			}
			assertThat(panel.path("datasource").path("uid").asString()).as(panel.path("title").asString())
				.isEqualTo("${datasource}");
			assertThat(panel.path("targets").isEmpty()).as(panel.path("title").asString()).isFalse();
			panel.path("targets").forEach(targets::add);
		}
		assertThat(targets).hasSizeGreaterThan(10)
			.allSatisfy(t -> assertThat(t.path("expr").asString()).isNotBlank());
		// the panels cover the alerts' subjects
		String queries = String.join("\n", MonitoringFiles.dashboardQueries());
		assertThat(queries).contains("tongxing_login_success_target", "tongxing_incidents_open",
				"tongxing_upstream_circuit_state", "tongxing_wechat_quota_day_remaining",
				"tongxing_complaints_awaiting_first_response");
	}

	@Test
	void metricNamesAreFoundInPromql() {
		assertThat(MonitoringFiles.metricsIn("""
				(sum by (method) (rate(tongxing_login_attempts_total{outcome="success",method=~"$method"}[$__rate_interval]))
				  / sum by (method) (rate(tongxing_login_attempts_total[30m]))) < on() group_left() max(tongxing_login_success_target)
				and histogram_quantile(0.95, sum by (le, upstream) (rate(tongxing_upstream_latency_seconds_bucket[5m]))) > 2e0
				or label_values(tongxing_sms_sent_total, outcome) unless up{job="tongxing"} == bool 0""")).containsExactlyInAnyOrder(
				"tongxing_login_attempts_total", "tongxing_login_success_target", "tongxing_upstream_latency_seconds_bucket",
				"tongxing_sms_sent_total", "up");
		assertThat(MonitoringFiles.metricsUsed()).hasSizeGreaterThan(10);
	}

	/** promtool from PATH or Debian's place; absent: a failure in CI, a skip elsewhere. */
	static String promtool() {
		List<String> candidates = new ArrayList<>();
		for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			candidates.add(dir + "/promtool");
		}
		candidates.add("/usr/bin/promtool");
		for (String candidate : candidates) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		String message = "promtool is not installed (Debian: apt-get install prometheus; bin/services.sh does it)";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new AssertionError(message);
		}
		Assumptions.abort(message);
		return null;
	}

	record Result(int exit, String output) {
	}

	static Result run(String... command) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
		return new Result(process.exitValue(), output);
	}


}
