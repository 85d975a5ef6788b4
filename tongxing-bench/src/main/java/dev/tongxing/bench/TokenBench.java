package dev.tongxing.bench;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * Issue 10's benchmarks: each workload ({@link Workloads}) against the gateway running in this JVM on
 * loopback, next to the raw signing rate of the workload's algorithm in the same JVM and the same run, and
 * their ratio.
 * <pre>
 *   ratio = grants/s (N connections) / raw signatures/s of the same algorithm (N threads)
 * </pre>
 * A ratio of 1 would mean a grant costs nothing besides one signature.
 * <p>
 * Order of the run: start the gateway (with the clients, and the WeChat emulator, the workloads need); then
 * for each workload: prepare it (a real token fetched and verified against the JWKS, which is also the
 * template of the baseline's claims; logins and tokens it needs); warm up the raw signer; warm up the load;
 * then {@code rounds} times a raw-signing burst followed by a load segment (the load paused while signing,
 * and while single-use credentials are minted), a last signing burst, and single-thread raw signing.
 * Interleaving makes both sides see the same drift of a shared machine.
 */
public final class TokenBench {

	private TokenBench() {
	}

	public static void main(String[] args) throws Exception {
		if (args.length > 0 && !args[0].startsWith("--")) {
			System.exit(NodeCommands.run(args));
			return;
		}
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		Report report = run(options, System.out);
		if (!report.failures().isEmpty()) {
			System.err.println("FAILED: " + String.join("; ", report.failures()));
			System.exit(1);
		}
	}

	/** All workloads of one run; {@code failures} says which failed and why (empty: none). */
	public record Report(List<BenchResult> results, List<String> failures, String database) {

		BenchResult workload(String name) {
			return this.results.stream().filter(r -> r.workload().equals(name)).findFirst()
				.orElseThrow(() -> new IllegalStateException("No result for " + name + ": " + this.failures));
		}

		String table() {
			StringBuilder b = new StringBuilder();
			b.append(String.format(Locale.ROOT, "%-15s %-6s %9s %8s %8s %8s %7s %10s %6s  %s%n", "workload", "alg",
					"grants/s", "p50 ms", "p99 ms", "p99.9 ms", "errors", "ceiling/s", "ratio", "issue 10 target"));
			for (BenchResult r : this.results) {
				b.append(String.format(Locale.ROOT, "%-15s %-6s %9.0f %8.2f %8.2f %8.2f %7d %10.0f %6.2f  %s%s%n",
						r.workload(), r.algorithm(), r.grantsPerSecond(), r.p50Millis(), r.p99Millis(), r.p999Millis(),
						r.errors() + r.warmupErrors(), r.signPerSecond(), r.ratio(),
						r.target() == null ? "-" : r.target(),
						r.targetMet() == null ? "" : r.targetMet() ? "  (met)" : "  (MISSED)"));
			}
			for (String f : this.failures) {
				b.append("FAILED ").append(f).append(System.lineSeparator());
			}
			return b.toString();
		}

		String toJson() {
			StringBuilder b = new StringBuilder();
			b.append("{\n  \"benchmark\": \"tongxing-bench\",\n  \"database\": ").append(BenchResult.jsonString(this.database))
				.append(",\n  \"timestamp\": \"").append(java.time.Instant.now()).append("\",\n  \"workloads\": [\n");
			for (int i = 0; i < this.results.size(); i++) {
				b.append(this.results.get(i).toJson().strip().indent(4).stripTrailing());
				b.append(i + 1 < this.results.size() ? ",\n" : "\n");
			}
			b.append("  ],\n  \"failures\": [");
			for (int i = 0; i < this.failures.size(); i++) {
				b.append(i == 0 ? "" : ", ").append(BenchResult.jsonString(this.failures.get(i)));
			}
			return b.append("]\n}\n").toString();
		}

	}

	public static Report run(BenchOptions options, PrintStream log) throws Exception {
		int n = options.connections();
		log.printf(Locale.ROOT, "tongxing-bench: workloads %s on %s; %d connections, warm-up >= %s and >= %d grants"
				+ " (at most %s), window %s in %d rounds; raw signing %d threads %s (+%s single thread), %d CPUs, Java %s%n",
				String.join(",", options.workloads()), options.database(), n, human(options.warmup()),
				options.warmupGrants(), human(options.warmupMax()), human(options.duration()), options.rounds(), n,
				human(options.signDuration()), human(options.signSingleDuration()),
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		List<BenchResult> results = new ArrayList<>();
		List<String> failures = new ArrayList<>();
		long startNanos = System.nanoTime();
		try (BenchDatabase database = BenchDatabase.of(options.database());
				Gateway gateway = Gateway.start(options.gatewayProperties(), Workloads.needs(options.workloads()),
						database)) {
			log.printf(Locale.ROOT, "gateway up on %s (%s%s) in %.1f s%s%n", gateway.baseUrl(), database.kind(),
					database.schema() == null ? "" : ", schema " + database.schema(),
					(System.nanoTime() - startNanos) / 1e9, options.gatewayProperties().isEmpty() ? ""
							: " (EXPERIMENT, extra gateway properties " + options.gatewayProperties() + ")");
			BenchSetup setup = new BenchSetup(gateway);
			for (String name : options.workloads()) {
				Workload workload = Workloads.create(name, n);
				try {
					BenchResult result = runWorkload(options, workload, setup, log);
					results.add(result);
					if (result.failed()) {
						failures.add(name + ": " + (result.errors() + result.warmupErrors()) + " requests failed"
								+ (result.starvedMillis() > 0 ? ", waited " + result.starvedMillis()
										+ " ms for single-use credentials in the window" : "")
								+ (result.firstError() != null ? "; first: " + result.firstError() : ""));
					}
				}
				catch (Exception ex) {
					log.println(name + " FAILED: " + ex);
					failures.add(name + ": " + ex);
				}
			}
		}
		Report report = new Report(results, failures, options.database());
		log.println();
		log.print(report.table());
		Files.createDirectories(options.output().toAbsolutePath().getParent());
		Files.writeString(options.output(), report.toJson());
		log.println("written " + options.output().toAbsolutePath().normalize());
		return report;
	}

	private static BenchResult runWorkload(BenchOptions options, Workload workload, BenchSetup setup, PrintStream log)
			throws Exception {
		int n = options.connections();
		log.println();
		log.println("== " + workload.name() + ": " + workload.measured());
		Sample sample = workload.prepare(setup);
		log.printf(Locale.ROOT, "sample token verified against the JWKS: %s, %d-bit key, %d chars%n",
				sample.jwt().getHeader().toJSONObject(), sample.modulusBits(), sample.serialized().length());

		RawSigner signer = new RawSigner(workload.algorithm(), sample.modulusBits(), sample.jwt().getHeader(),
				sample.jwt().getJWTClaimsSet());
		RawSigner.Rate signWarmup = signer.measure(n, options.signWarmup());
		int rounds = options.rounds();
		Duration segmentLength = options.duration().dividedBy(rounds);
		Duration burstLength = options.signDuration().dividedBy(rounds + 1);
		// single-use credentials for the warm-up and each segment, with room: no request can be faster than
		// the raw signing of this many threads by much (the ones that sign at all sign at least once)
		double ceiling = Math.max(100, signWarmup.perSecond());
		if (workload.pooled()) {
			long warmupPool = (long) Math.max(options.warmupGrants() * 1.1,
					ceiling * 1.25 * options.warmup().toMillis() / 1e3) + 4L * n;
			long t0 = System.nanoTime();
			workload.refill(warmupPool);
			log.printf(Locale.ROOT, "minted %d single-use requests for the warm-up in %.1f s%n", warmupPool,
					(System.nanoTime() - t0) / 1e9);
		}
		LoadGenerator load = new LoadGenerator(setup.port(), workload);
		load.start(n, options.maxRequests());
		load.warmUp(options.warmup(), options.warmupGrants(), options.warmupMax());
		List<RawSigner.Rate> bursts = new ArrayList<>();
		JfrWindow jfr = new JfrWindow(jfrPath(options, workload));
		io.micrometer.core.instrument.MeterRegistry meters = setup.gateway()
			.context()
			.getBean(io.micrometer.core.instrument.MeterRegistry.class);
		LimiterCost.Reading limiterBefore = null;
		LimiterCost.Reading limiterAfter = null;
		LoadGenerator.Result grants;
		try {
			for (int round = 0; round < rounds; round++) {
				if (workload.pooled()) {
					// the latest burst is the better estimate once the JIT has warmed the signer further
					double recent = bursts.isEmpty() ? ceiling : Math.max(ceiling, bursts.getLast().perSecond());
					workload.refill((long) (recent * 1.25 * segmentLength.toMillis() / 1e3) + 4L * n);
				}
				bursts.add(signer.measure(n, burstLength));
				if (round == 0) {
					jfr.opened();
					limiterBefore = LimiterCost.Reading.of(meters);
				}
				LoadGenerator.Segment segment = load.segment(segmentLength, LoadGenerator.WindowListener.NONE);
				log.printf(Locale.ROOT, "round %d: raw signing %.0f/s, then %.0f grants/s%n", round + 1,
						bursts.get(round).perSecond(), segment.grantsPerSecond());
			}
			jfr.closed();
			limiterAfter = LimiterCost.Reading.of(meters);
			bursts.add(signer.measure(n, burstLength));
		}
		finally {
			grants = load.stop();
		}
		log.printf(Locale.ROOT, "raw signing after the last round: %.0f/s%n", bursts.getLast().perSecond());
		if (jfr.path != null) {
			log.println("JFR recording of the load rounds: " + jfr.path.toAbsolutePath().normalize()
					+ " (the raw-signing bursts between them run on bench-sign-* threads)");
		}
		log.printf(Locale.ROOT, "%s: warm-up %.1f s, %d ok / %d errors; window %d ok / %d errors; %d reconnects%n",
				workload.name(), grants.warmup().toMillis() / 1e3, grants.warmupSuccesses(), grants.warmupErrors(),
				grants.successes(), grants.errors(), grants.reconnects());
		if (grants.firstError() != null) {
			log.println("first error: " + grants.firstError());
		}
		RawSigner.Rate single = signer.measure(1, options.signSingleDuration());

		BenchResult result = BenchResult.of(options, workload, grants, bursts, single, sample, limiterBefore,
				limiterAfter, limiterBefore != null && limiterAfter != null && limiterAfter.count() > limiterBefore.count()
						? LimiterCost.burst(setup.gateway().context(), Gateway.CLIENT_ID, n, Duration.ofSeconds(1))
						: Double.NaN);
		log.println(result.summaryLine());
		log.println(result.explanation());
		return result;
	}

	/** {@code --jfr=PATH}: PATH for one workload, {@code PATH-NAME.jfr} for each of several. */
	private static java.nio.file.Path jfrPath(BenchOptions options, Workload workload) {
		if (options.jfr() == null || options.workloads().size() == 1) {
			return options.jfr();
		}
		String file = options.jfr().getFileName().toString().replaceFirst("\\.jfr$", "");
		return options.jfr().resolveSibling(file + "-" + workload.name() + ".jfr");
	}

	/** Records the load's measuring window with JFR's profile settings, when asked to. */
	private static final class JfrWindow implements LoadGenerator.WindowListener {

		final java.nio.file.Path path;

		private jdk.jfr.Recording recording;

		JfrWindow(java.nio.file.Path path) {
			this.path = path;
		}

		@Override
		public void opened() {
			if (this.path == null) {
				return;
			}
			try {
				this.recording = new jdk.jfr.Recording(jdk.jfr.Configuration.getConfiguration("profile"));
				this.recording.setName("tongxing-bench load window");
				this.recording.start();
			}
			catch (IOException | java.text.ParseException ex) {
				throw new IllegalStateException("Could not start JFR", ex);
			}
		}

		@Override
		public void closed() {
			if (this.recording == null) {
				return;
			}
			try {
				this.recording.stop();
				java.nio.file.Path parent = this.path.toAbsolutePath().getParent();
				Files.createDirectories(parent);
				this.recording.dump(this.path);
			}
			catch (IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			finally {
				this.recording.close();
			}
		}

	}

	record Sample(SignedJWT jwt, String serialized, int modulusBits) {
	}

	/**
	 * One real grant through the JDK client: proves the endpoint works, that the token is signed with
	 * {@code algorithm} and verifies against the JWKS, and gives the baseline its template.
	 */
	static Sample sampleToken(Gateway gateway, String clientId, String secret, JWSAlgorithm algorithm)
			throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			String basic = Base64.getEncoder()
				.encodeToString((clientId + ":" + secret).getBytes(StandardCharsets.UTF_8));
			HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.timeout(Duration.ofSeconds(30))
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + Gateway.SCOPE))
				.build(), HttpResponse.BodyHandlers.ofString());
			if (token.statusCode() != 200) {
				throw new IllegalStateException("Token request failed: " + token.statusCode() + " " + token.body());
			}
			String accessToken = (String) com.nimbusds.jose.util.JSONObjectUtils.parse(token.body())
				.get("access_token");
			return verify(gateway, accessToken, algorithm);
		}
		catch (java.text.ParseException ex) {
			throw new IllegalStateException("Could not read the token response", ex);
		}
	}

	/** Checks that {@code accessToken} is signed with {@code algorithm} by a key of the gateway's JWKS. */
	static Sample verify(Gateway gateway, String accessToken, JWSAlgorithm algorithm)
			throws IOException, InterruptedException {
		if (accessToken == null) {
			throw new IllegalStateException("No access token");
		}
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/oauth2/jwks"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			SignedJWT jwt = SignedJWT.parse(accessToken);
			JWSHeader header = jwt.getHeader();
			if (!algorithm.equals(header.getAlgorithm())) {
				throw new IllegalStateException("Expected an access token signed " + algorithm + ", got " + header.getAlgorithm());
			}
			JWK key = JWKSet.parse(jwks.body()).getKeyByKeyId(header.getKeyID());
			JWSVerifier verifier = switch (key) {
				case RSAKey rsa -> new RSASSAVerifier(rsa);
				case ECKey ec -> new ECDSAVerifier(ec);
				case OctetKeyPair okp -> new Ed25519Verifier(okp.toPublicJWK());
				case null -> throw new IllegalStateException("The JWKS has no key " + header.getKeyID());
				default -> throw new IllegalStateException("Unexpected key type " + key.getKeyType());
			};
			if (!jwt.verify(verifier)) {
				throw new IllegalStateException("The access token does not verify against the gateway's JWKS");
			}
			return new Sample(jwt, accessToken, key.size());
		}
		catch (java.text.ParseException | com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException("Could not read the sample token", ex);
		}
	}

	static String human(Duration d) {
		return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
	}

}
