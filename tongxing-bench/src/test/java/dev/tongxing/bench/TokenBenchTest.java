package dev.tongxing.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the whole benchmark with tiny windows and checks that it produced sane numbers and no errors. Not a
 * speed test: no assertion here depends on how fast the machine is.
 */
class TokenBenchTest {

	@TempDir
	Path dir;

	@Test
	void shortRunProducesSaneNumbersAndNoErrors() throws Exception {
		Path output = this.dir.resolve("bench-result.json");
		BenchOptions options = BenchOptions.parse("--connections=2", "--warmup=1s", "--warmup-grants=0", "--duration=1s", "--rounds=2",
				"--sign-warmup=200ms", "--sign-duration=600ms", "--sign-single-duration=200ms",
				"--output=" + output);
		ByteArrayOutputStream console = new ByteArrayOutputStream();

		BenchResult result = TokenBench.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

		assertThat(result.errors()).isZero();
		assertThat(result.warmupErrors()).isZero();
		assertThat(result.grants()).isPositive();
		assertThat(result.grantsPerSecond()).isPositive();
		assertThat(result.p50Millis()).isPositive().isLessThanOrEqualTo(result.p99Millis());
		assertThat(result.p99Millis()).isLessThanOrEqualTo(result.maxMillis());
		assertThat(result.signPerSecond()).isPositive();
		assertThat(result.signPerSecondSingleThread()).isPositive();
		assertThat(result.ratio()).isPositive().isFinite();
		assertThat(result.modulusBits()).isEqualTo(2048);
		assertThat(result.connections()).isEqualTo(2);
		assertThat(result.rounds()).isEqualTo(2);
		assertThat(result.roundRatioMin()).isPositive().isLessThanOrEqualTo(result.roundRatioMax());

		String printed = console.toString(StandardCharsets.UTF_8);
		assertThat(printed).contains("client_credentials: ", " grants/s (p50 ", "RS256 raw sign: ", "with 2 threads",
				"single thread", "| ratio ");
		String json = Files.readString(output);
		assertThat(json).contains("\"grantsPerSecond\"", "\"ratio\"", "\"errors\": 0", "\"rsaModulusBits\": 2048",
				"\"rounds\": 2");
		Map<String, Object> parsed = JSONObjectUtils.parse(json);
		assertThat(((Number) parsed.get("grants")).longValue()).isEqualTo(result.grants());
		assertThat(parsed).containsKeys("latencyMillis", "rawSign", "ratioPerRound", "cpu", "machine");
	}

	@Test
	void optionsParse() {
		BenchOptions o = BenchOptions.parse("--connections=4", "--warmup=500ms", "--warmup-grants=7", "--duration=PT3S",
				"--gateway.spring.threads.virtual.enabled=false");
		assertThat(o.connections()).isEqualTo(4);
		assertThat(o.warmup()).isEqualTo(Duration.ofMillis(500));
		assertThat(o.warmupGrants()).isEqualTo(7);
		assertThat(o.duration()).isEqualTo(Duration.ofSeconds(3));
		assertThat(o.gatewayProperties()).containsEntry("spring.threads.virtual.enabled", "false");
		assertThat(BenchOptions.parse().duration()).isEqualTo(BenchOptions.DEFAULTS.duration());
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--nope=1"));
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--connections=0"));
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--duration=0s"));
	}

}
