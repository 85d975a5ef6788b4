package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A short soak (a minute of load, one node SIGKILLed half-way and started again) on the local PostgreSQL and
 * Redis, against two processes of the packaged gateway; the report's invariants must hold: no event lost, the
 * audit log verifies, logins completed, every error has a cause. The judging parts are also checked on made-up
 * inputs, where they must say "lost" and "grew".
 */
class SoakCommandTest {

	@TempDir
	Path dir;

	@Test
	void aShortSoakWithOneKillLosesNoEventAndLeavesAnIntactAuditLog() throws Exception {
		Path jar = Path.of("../tongxing-server/target/tongxing-server.jar");
		// bin/test (verify) packages the gateway before this module's tests; a bare -pl tongxing-bench test cannot
		Assumptions.assumeTrue(Files.isRegularFile(jar) || System.getenv("CI") != null,
				"the gateway's jar is built before this module");
		Path output = this.dir.resolve("soak.json");
		Map<String, String> o = new LinkedHashMap<>();
		o.put("duration", "60s");
		o.put("kill-every", "30s");
		o.put("concurrency", "4");
		o.put("cooling-off", "10s");
		o.put("drain", "60s");
		o.put("sample-every", "5s");
		// a minute says nothing about growth: the memory is sampled and reported, not judged
		o.put("warmup", "10m");
		o.put("server-jar", jar.toString());
		o.put("jvm-options", "-XX:TieredStopAtLevel=1 -Xmx256m");
		o.put("output", output.toString());
		ByteArrayOutputStream log = new ByteArrayOutputStream();
		int exit = SoakCommand.run(o, new PrintStream(log, true, StandardCharsets.UTF_8));
		String printed = log.toString(StandardCharsets.UTF_8);

		Map<String, Object> report = JSONObjectUtils.parse(Files.readString(output));
		assertThat(exit).as(printed).isZero();
		assertThat(report).as(printed).containsEntry("passed", true);
		assertThat(((Number) report.get("loginsCompleted")).longValue()).as(printed).isPositive();
		assertThat(((Number) report.get("unclassifiedErrors")).longValue()).as(printed).isZero();
		Map<String, Object> operations = JSONObjectUtils.getJSONObject(report, "operations");
		for (String op : SoakCommand.OPERATIONS) {
			Map<String, Object> counts = JSONObjectUtils.getJSONObject(operations, op);
			Map<String, Object> causes = JSONObjectUtils.getJSONObject(counts, "byCause");
			assertThat(causes.keySet()).as(op).noneMatch(c -> c.startsWith(SoakOutcomes.UNCLASSIFIED));
			assertThat(causes.values().stream().mapToLong(n -> ((Number) n).longValue()).sum()).as(op)
				.isEqualTo(((Number) counts.get("errors")).longValue());
		}
		// people withdrew consent and deleted accounts, so events were owed, and each of them arrived
		Map<String, Object> events = JSONObjectUtils.getJSONObject(report, "events");
		assertThat(((Number) events.get("expected")).longValue()).as(printed).isPositive();
		assertThat(((Number) events.get("lost")).longValue()).as(printed).isZero();
		assertThat(((Number) events.get("matched")).longValue()).isEqualTo(((Number) events.get("expected")).longValue());
		assertThat((List<?>) events.get("invalid")).isEmpty();
		Map<String, Object> audit = JSONObjectUtils.getJSONObject(report, "auditVerify");
		assertThat(audit).as(printed).containsEntry("passed", true);
		assertThat(((Number) audit.get("entries")).longValue()).isPositive();
		// one kill, and the node came back as a new process
		List<Object> kills = JSONObjectUtils.getJSONArray(report, "kills");
		assertThat(kills).as(printed).hasSize(1);
		Map<?, ?> kill = (Map<?, ?>) kills.getFirst();
		assertThat(kill.get("problem")).isNull();
		assertThat(((Number) kill.get("newPid")).longValue()).isPositive().isNotEqualTo(((Number) kill.get("killedPid")).longValue());
		// three node processes (a, b, a again), each sampled while alive
		List<Object> memory = JSONObjectUtils.getJSONArray(report, "memory");
		assertThat(memory).hasSize(3);
		for (Object lifetime : memory) {
			List<?> samples = (List<?>) ((Map<?, ?>) lifetime).get("samples");
			assertThat(samples).as(String.valueOf(lifetime)).isNotEmpty();
			assertThat(((Number) ((Map<?, ?>) samples.getFirst()).get("rssKb")).longValue()).isPositive();
			assertThat(((Number) ((Map<?, ?>) samples.getFirst()).get("heapAfterGcBytes")).longValue()).isPositive();
		}
		assertThat(printed).contains("result: PASS", "audit verify: PASS");
	}

	@Test
	void anOwedEventNotReceivedIsLostAndARedeliveryPaysNoOtherDebt() {
		SoakExpectedEvents owed = new SoakExpectedEvents();
		owed.expect("web", SoakExpectedEvents.SESSION_REVOKED, "s1");
		owed.expect("web", SoakExpectedEvents.SESSION_REVOKED, "s1"); // a withdrawal, then the deletion
		owed.expect("app", SoakExpectedEvents.ACCOUNT_PURGED, "s2");
		SoakExpectedEvents.Match match = owed.match(List.of(
				new SoakEventReceiver.Received("j1", "web", SoakExpectedEvents.SESSION_REVOKED, "s1"),
				new SoakEventReceiver.Received("j2", "app", SoakExpectedEvents.ACCOUNT_PURGED, "other-sub"),
				new SoakEventReceiver.Received("j3", "app", SoakExpectedEvents.ACCOUNT_DISABLED, "s2")));
		assertThat(match.expected()).isEqualTo(3);
		assertThat(match.matched()).isEqualTo(1);
		assertThat(match.lost()).containsExactlyInAnyOrder("web session-revoked sub s1", "app account-purged sub s2");
		assertThat(match.unexpected()).isEqualTo(2);
	}

	@Test
	void memoryThatKeepsGrowingAfterTheWarmupIsSaidToGrowAndFlatMemoryIsNot() {
		SoakMemory.Lifetime growing = new SoakMemory.Lifetime("a", 1, 1);
		SoakMemory.Lifetime flat = new SoakMemory.Lifetime("b", 1, 2);
		for (int minute = 0; minute < 20; minute++) {
			// the first minutes climb steeply (warm-up), which must not count
			long warm = minute < 3 ? minute * 100_000L : 300_000L;
			growing.samples.add(new SoakMemory.Sample(minute * 60.0, warm + minute * 8_000L, (100L + minute * 4) << 20));
			flat.samples.add(new SoakMemory.Sample(minute * 60.0, warm + (minute % 2) * 4_000L, (100L + minute % 3) << 20));
		}
		SoakMemory.Verdict grew = growing.verdict(java.time.Duration.ofMinutes(3));
		assertThat(grew.judged()).isTrue();
		assertThat(grew.grew()).as(grew.text()).isTrue();
		assertThat(grew.text()).contains("GREW (heap) (RSS)");
		SoakMemory.Verdict steady = flat.verdict(java.time.Duration.ofMinutes(3));
		assertThat(steady.grew()).as(steady.text()).isFalse();
		assertThat(steady.text()).endsWith("no growth");
		assertThat(flat.verdict(java.time.Duration.ofMinutes(17)).judged()).isFalse();
		// a step up that stays (the other node killed, this one serving everyone) is no leak
		SoakMemory.Lifetime stepped = new SoakMemory.Lifetime("c", 1, 3);
		for (int minute = 0; minute < 20; minute++) {
			stepped.samples.add(new SoakMemory.Sample(minute * 60.0, minute < 8 ? 300_000L : 370_000L, 100L << 20));
		}
		SoakMemory.Verdict step = stepped.verdict(java.time.Duration.ofMinutes(3));
		assertThat(step.grew()).as(step.text()).isFalse();
	}

	@Test
	void badOptionsAreRefusedWithTheirName() {
		assertThatIllegalArgumentException().isThrownBy(() -> SoakOptions.parse(Map.of("faults", "1.5")))
			.withMessageContaining("--faults");
		assertThatIllegalArgumentException().isThrownBy(() -> SoakOptions.parse(Map.of("kill-every", "5s")))
			.withMessageContaining("--kill-every");
		assertThatIllegalArgumentException().isThrownBy(() -> SoakOptions.parse(Map.of("duraton", "PT1H")))
			.withMessageContaining("Unknown option --duraton");
		assertThatIllegalArgumentException().isThrownBy(() -> SoakOptions.parse(Map.of("concurrency", "many")))
			.withMessageContaining("Not a number");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> SoakOptions.parse(Map.of("cooling-off", "PT5M", "drain", "PT1M")))
			.withMessageContaining("--drain");
		SoakOptions defaults = SoakOptions.parse(Map.of());
		assertThat(defaults.duration()).isEqualTo(java.time.Duration.ofHours(1));
		assertThat(defaults.faults()).isEqualTo(0.10);
		assertThat(defaults.killEvery()).isEqualTo(java.time.Duration.ofMinutes(10));
	}

}
