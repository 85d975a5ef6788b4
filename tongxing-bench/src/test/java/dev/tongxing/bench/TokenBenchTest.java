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
		BenchOptions options = BenchOptions.parse("--workloads=cc-rs256", "--connections=2", "--warmup=1s", "--warmup-grants=0", "--duration=1s", "--rounds=2",
				"--sign-warmup=200ms", "--sign-duration=600ms", "--sign-single-duration=200ms",
				"--output=" + output);
		ByteArrayOutputStream console = new ByteArrayOutputStream();

		TokenBench.Report report = TokenBench.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));
		assertThat(report.failures()).isEmpty();
		BenchResult result = report.workload("cc-rs256");

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
		Map<String, Object> workload = JSONObjectUtils.getJSONObjectArray(parsed, "workloads")[0];
		assertThat(((Number) workload.get("grants")).longValue()).isEqualTo(result.grants());
		assertThat(workload).containsKeys("latencyMillis", "rawSign", "ratioPerRound", "cpu", "machine");
	}

	/**
	 * Every workload that runs on this gateway, tiny windows: each made requests, none failed, the pooled
	 * ones never waited for single-use credentials in a window, and the table and JSON name each.
	 */
	@Test
	void everyWorkloadRunsWithoutErrors() throws Exception {
		Path output = this.dir.resolve("all.json");
		BenchOptions options = BenchOptions.parse("--workloads=refresh,introspect,auth-code,token-exchange",
				"--connections=2", "--warmup=500ms", "--warmup-grants=20", "--warmup-max=5s", "--duration=600ms",
				"--rounds=2", "--sign-warmup=200ms", "--sign-duration=300ms", "--sign-single-duration=100ms",
				"--output=" + output);
		ByteArrayOutputStream console = new ByteArrayOutputStream();

		TokenBench.Report report = TokenBench.run(options, new PrintStream(console, true, StandardCharsets.UTF_8));

		String printed = console.toString(StandardCharsets.UTF_8);
		assertThat(report.failures()).as(printed).isEmpty();
		assertThat(report.results()).extracting(BenchResult::workload)
			.containsExactly("refresh", "introspect", "auth-code", "token-exchange");
		for (BenchResult r : report.results()) {
			assertThat(r.errors()).as(r.workload()).isZero();
			assertThat(r.warmupErrors()).as(r.workload()).isZero();
			assertThat(r.starvedMillis()).as(r.workload()).isZero();
			assertThat(r.grants()).as(r.workload()).isPositive();
			assertThat(r.p50Millis()).as(r.workload()).isPositive().isLessThanOrEqualTo(r.p99Millis());
			assertThat(r.p99Millis()).as(r.workload()).isLessThanOrEqualTo(r.p999Millis());
			assertThat(r.p999Millis()).as(r.workload()).isLessThanOrEqualTo(r.maxMillis());
			assertThat(r.ratio()).as(r.workload()).isPositive().isFinite();
			assertThat(r.algorithm()).isEqualTo("RS256");
			assertThat(r.database()).isEqualTo("h2");
		}
		assertThat(report.workload("refresh").signaturesPerGrant()).isEqualTo(2);
		assertThat(report.workload("introspect").targetMet()).isNotNull();
		assertThat(printed).contains("refresh_token (rotation): ", "introspection: ", "authorization_code + PKCE: ",
				"WeChat token exchange: ", "workload ", "ceiling/s", "issue 10 target");
		Map<String, Object> parsed = JSONObjectUtils.parse(Files.readString(output));
		assertThat(JSONObjectUtils.getJSONObjectArray(parsed, "workloads")).hasSize(4)
			.allSatisfy(w -> assertThat(w).containsKeys("workload", "grantsPerSecond", "latencyMillis", "errors",
					"ratio", "rawSign", "target"));
		assertThat(JSONObjectUtils.getStringList(parsed, "failures")).isEmpty();
	}

	/** The raw ceilings of the other algorithms sign tokens that verify (EdDSA through Tink). */
	@Test
	void rawCeilingsOfEachAlgorithmSignVerifiableTokens() throws Exception {
		com.nimbusds.jwt.JWTClaimsSet claims = new com.nimbusds.jwt.JWTClaimsSet.Builder().issuer("http://127.0.0.1")
			.subject("bench")
			.issueTime(new java.util.Date())
			.expirationTime(new java.util.Date(System.currentTimeMillis() + 7_200_000))
			.build();
		for (com.nimbusds.jose.JWSAlgorithm alg : java.util.List.of(com.nimbusds.jose.JWSAlgorithm.RS256,
				com.nimbusds.jose.JWSAlgorithm.ES256, com.nimbusds.jose.JWSAlgorithm.EdDSA)) {
			RawSigner signer = new RawSigner(alg, 2048,
					RawSigner.header(alg, new com.nimbusds.jose.JWSHeader.Builder(alg).keyID("k").build()), claims);
			com.nimbusds.jwt.SignedJWT jwt = com.nimbusds.jwt.SignedJWT.parse(signer.signOne());
			assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(alg);
			assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
			assertThat(jwt.getJWTClaimsSet().getJWTID()).isNotBlank();
			assertThat(signer.verifier().verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature())).isTrue();
			RawSigner.Rate rate = signer.measure(1, Duration.ofMillis(100));
			assertThat(rate.operations()).as(alg.getName()).isPositive();
		}
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
		assertThat(BenchOptions.parse().workloads()).containsExactly("cc-rs256", "cc-es256", "cc-eddsa", "refresh",
				"introspect", "auth-code", "token-exchange");
		assertThat(BenchOptions.parse("--workloads=cc-rs256, refresh").workloads()).containsExactly("cc-rs256", "refresh");
		assertThat(BenchOptions.parse("--workloads=rs256").workloads()).doesNotContain("cc-es256", "cc-eddsa");
		assertThat(BenchOptions.parse("--database=postgres").database()).isEqualTo("postgres");
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--workloads=cc-rs512"));
		assertThatIllegalArgumentException().isThrownBy(() -> BenchOptions.parse("--database=mysql"));
	}

}
