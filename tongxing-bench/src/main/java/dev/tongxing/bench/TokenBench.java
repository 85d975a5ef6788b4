package dev.tongxing.bench;

import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWK;
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
 * Issue 2's benchmark: {@code client_credentials} grants per second against the gateway running in this
 * JVM on loopback, next to the raw RS256 signing rate of the same JVM in the same run, and their ratio.
 * <pre>
 *   ratio = grants/s (N connections) / raw RS256 signatures/s (N threads)
 * </pre>
 * A ratio of 1 would mean a grant costs nothing besides its signature; the target is at least 0.8.
 * <p>
 * Order of the run: start the gateway; fetch one token and verify it against the JWKS (and take it as the
 * template for the baseline's claims); warm up the raw signer; warm up the load; then {@code rounds} times
 * a raw-signing burst followed by a load segment (the load paused while signing), a last signing burst, and
 * single-thread raw signing. Interleaving makes both sides see the same drift of a shared machine.
 */
public final class TokenBench {

	private TokenBench() {
	}

	public static void main(String[] args) throws Exception {
		BenchOptions options;
		try {
			options = BenchOptions.parse(args);
		}
		catch (IllegalArgumentException ex) {
			System.err.println(ex.getMessage());
			System.exit(2);
			return;
		}
		BenchResult result = run(options, System.out);
		if (result.errors() > 0 || result.warmupErrors() > 0) {
			System.err.println("FAILED: " + (result.errors() + result.warmupErrors()) + " grants failed; first: "
					+ result.firstError());
			System.exit(1);
		}
	}

	public static BenchResult run(BenchOptions options, PrintStream log) throws Exception {
		int n = options.connections();
		log.printf(Locale.ROOT, "tongxing-bench: %d connections, warm-up >= %s and >= %d grants (at most %s), window %s"
				+ " in %d rounds; raw signing %d threads %s (+%s single thread), %d CPUs, Java %s%n", n,
				human(options.warmup()), options.warmupGrants(), human(options.warmupMax()), human(options.duration()),
				options.rounds(), n, human(options.signDuration()), human(options.signSingleDuration()),
				Runtime.getRuntime().availableProcessors(), Runtime.version());
		long startNanos = System.nanoTime();
		try (Gateway gateway = Gateway.start(options.gatewayProperties())) {
			log.printf(Locale.ROOT, "gateway up on %s in %.1f s%s%n", gateway.baseUrl(),
					(System.nanoTime() - startNanos) / 1e9, options.gatewayProperties().isEmpty() ? ""
							: " (EXPERIMENT, extra gateway properties " + options.gatewayProperties() + ")");

			Sample sample = sampleToken(gateway);
			log.printf(Locale.ROOT, "sample token verified against the JWKS: %s, %d-bit RSA, %d chars%n",
					sample.jwt().getHeader().toJSONObject(), sample.modulusBits(), sample.serialized().length());

			RawSigner signer = new RawSigner(sample.modulusBits(), sample.jwt().getHeader(),
					sample.jwt().getJWTClaimsSet());
			signer.measure(n, options.signWarmup());

			LoadGenerator load = new LoadGenerator(gateway.port(), Gateway.CLIENT_ID, Gateway.CLIENT_SECRET,
					Gateway.SCOPE);
			load.start(n, options.maxRequests());
			load.warmUp(options.warmup(), options.warmupGrants(), options.warmupMax());
			int rounds = options.rounds();
			Duration segmentLength = options.duration().dividedBy(rounds);
			Duration burstLength = options.signDuration().dividedBy(rounds + 1);
			List<RawSigner.Rate> bursts = new ArrayList<>();
			JfrWindow jfr = new JfrWindow(options.jfr());
			LoadGenerator.Result grants;
			try {
				for (int round = 0; round < rounds; round++) {
					bursts.add(signer.measure(n, burstLength));
					if (round == 0) {
						jfr.opened();
					}
					LoadGenerator.Segment segment = load.segment(segmentLength, LoadGenerator.WindowListener.NONE);
					log.printf(Locale.ROOT, "round %d: raw signing %.0f/s, then %.0f grants/s%n", round + 1,
							bursts.get(round).perSecond(), segment.grantsPerSecond());
				}
				jfr.closed();
				bursts.add(signer.measure(n, burstLength));
			}
			finally {
				grants = load.stop();
			}
			log.printf(Locale.ROOT, "raw signing after the last round: %.0f/s%n", bursts.getLast().perSecond());
			if (options.jfr() != null) {
				log.println("JFR recording of the load rounds: " + options.jfr().toAbsolutePath().normalize()
						+ " (the raw-signing bursts between them run on bench-sign-* threads)");
			}
			log.printf(Locale.ROOT, "client_credentials: warm-up %.1f s, %d ok / %d errors; window %d ok / %d errors;"
					+ " %d reconnects%n", grants.warmup().toMillis() / 1e3, grants.warmupSuccesses(),
					grants.warmupErrors(), grants.successes(), grants.errors(), grants.reconnects());
			if (grants.firstError() != null) {
				log.println("first error: " + grants.firstError());
			}
			RawSigner.Rate single = signer.measure(1, options.signSingleDuration());

			BenchResult result = BenchResult.of(options, grants, bursts, single, sample);
			log.println();
			log.println(result.summaryLine());
			log.println(result.explanation());
			Files.createDirectories(options.output().toAbsolutePath().getParent());
			Files.writeString(options.output(), result.toJson());
			log.println("written " + options.output().toAbsolutePath().normalize());
			return result;
		}
	}

	/** Records the load's measuring window with JFR's profile settings, when asked to. */
	private static final class JfrWindow implements LoadGenerator.WindowListener {

		private final java.nio.file.Path path;

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

	/** One real grant through the JDK client: proves the endpoint works and gives the baseline its template. */
	static Sample sampleToken(Gateway gateway) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
			String basic = Base64.getEncoder()
				.encodeToString((Gateway.CLIENT_ID + ":" + Gateway.CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
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
			HttpResponse<String> jwks = http.send(HttpRequest.newBuilder(URI.create(gateway.baseUrl() + "/oauth2/jwks"))
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
			SignedJWT jwt = SignedJWT.parse(accessToken);
			JWK key = JWKSet.parse(jwks.body()).getKeyByKeyId(jwt.getHeader().getKeyID());
			if (!(key instanceof RSAKey rsa) || !jwt.verify(new RSASSAVerifier(rsa))) {
				throw new IllegalStateException("The access token does not verify against the gateway's JWKS");
			}
			JWSHeader header = jwt.getHeader();
			if (!"RS256".equals(header.getAlgorithm().getName())) {
				throw new IllegalStateException("Expected RS256, got " + header.getAlgorithm());
			}
			return new Sample(jwt, accessToken, rsa.size());
		}
		catch (java.text.ParseException | com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException("Could not read the sample token", ex);
		}
	}

	static String human(Duration d) {
		return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
	}

}
