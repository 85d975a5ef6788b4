package dev.tongxing.bench;

import java.time.Instant;
import java.util.Locale;

/**
 * What one run measured. {@link #ratio()} is the number issue 2 tracks: grants per second over raw RS256
 * signatures per second, both with the same number of concurrent threads/connections, same JVM, same run.
 */
public record BenchResult(int connections, double warmupSeconds, double windowSeconds, long grants, long errors,
		long warmupErrors, long reconnects, double grantsPerSecond, double p50Millis, double p90Millis,
		double p99Millis, double maxMillis, double signPerSecondBefore, double signPerSecondAfter,
		double signPerSecond, double signPerSecondSingleThread, double ratio, double loaderCpuShare,
		double gatewayCpuMicrosPerGrant, double signCpuMicros, int modulusBits, int tokenChars, int cpus,
		String javaVersion, String firstError) {

	static BenchResult of(BenchOptions options, LoadGenerator.Result load, RawSigner.Rate before,
			RawSigner.Rate after, RawSigner.Rate single, TokenBench.Sample sample) {
		double sign = (before.operations() + after.operations())
				/ ((before.elapsed().toNanos() + after.elapsed().toNanos()) / 1e9);
		double grants = load.grantsPerSecond();
		double loaderShare = load.processCpuNanos() > 0 ? (double) load.loaderCpuNanos() / load.processCpuNanos()
				: Double.NaN;
		double gatewayCpuPerGrant = load.successes() > 0
				? (load.processCpuNanos() - load.loaderCpuNanos()) / 1e3 / load.successes() : Double.NaN;
		return new BenchResult(load.connections(), options.warmup().toMillis() / 1e3,
				load.window().toMillis() / 1e3, load.successes(), load.errors(), load.warmupErrors(),
				load.reconnects(), grants, load.percentileMillis(50), load.percentileMillis(90),
				load.percentileMillis(99), load.latencyMicros().getMaxValue() / 1e3, before.perSecond(),
				after.perSecond(), sign, single.perSecond(), sign > 0 ? grants / sign : Double.NaN, loaderShare,
				gatewayCpuPerGrant, 1e6 / single.perSecond(), sample.modulusBits(), sample.serialized().length(),
				Runtime.getRuntime().availableProcessors(), Runtime.version().toString(), load.firstError());
	}

	String summaryLine() {
		return String.format(Locale.ROOT,
				"client_credentials: %.0f grants/s (p50 %.2f ms, p99 %.2f ms) | RS256 raw sign: %.0f/s with %d threads"
						+ " (%.0f/s single thread) | ratio %.0f/%.0f = %.2f",
				this.grantsPerSecond, this.p50Millis, this.p99Millis, this.signPerSecond, this.connections,
				this.signPerSecondSingleThread, this.grantsPerSecond, this.signPerSecond, this.ratio);
	}

	String explanation() {
		return String.format(Locale.ROOT, """
				  what is compared: POST /oauth2/token (grant_type=client_credentials, HTTP Basic, %d keep-alive \
				connections, %.0f s window after %.0f s warm-up; %d grants, %d errors, %d reconnects; p90 %.2f ms, \
				max %.2f ms)
				  against signing an equivalent %d-char at+jwt with Nimbus RSASSASigner, %d-bit RSA, %d threads, in this \
				JVM (%.0f/s before the load, %.0f/s after).
				  ratio 1.0 = a grant costs only its signature; target >= 0.8.
				  CPU view: the load generator used %.0f%% of this process's CPU during the window; the rest is \
				%.0f us of CPU per grant vs %.0f us per raw signature (single thread) -> %.2f""",
				this.connections, this.windowSeconds, this.warmupSeconds, this.grants, this.errors, this.reconnects,
				this.p90Millis, this.maxMillis, this.tokenChars, this.modulusBits, this.connections,
				this.signPerSecondBefore, this.signPerSecondAfter, this.loaderCpuShare * 100,
				this.gatewayCpuMicrosPerGrant, this.signCpuMicros, this.signCpuMicros / this.gatewayCpuMicrosPerGrant);
	}

	String toJson() {
		return String.format(Locale.ROOT, """
				{
				  "benchmark": "client_credentials_vs_rs256_raw_sign",
				  "timestamp": "%s",
				  "connections": %d,
				  "warmupSeconds": %.3f,
				  "windowSeconds": %.3f,
				  "grants": %d,
				  "errors": %d,
				  "warmupErrors": %d,
				  "reconnects": %d,
				  "grantsPerSecond": %.1f,
				  "latencyMillis": { "p50": %.3f, "p90": %.3f, "p99": %.3f, "max": %.3f },
				  "rawSign": {
				    "threads": %d,
				    "perSecond": %.1f,
				    "perSecondBeforeLoad": %.1f,
				    "perSecondAfterLoad": %.1f,
				    "perSecondSingleThread": %.1f,
				    "rsaModulusBits": %d,
				    "tokenChars": %d
				  },
				  "ratio": %.4f,
				  "cpu": {
				    "loadGeneratorShare": %.4f,
				    "gatewayMicrosPerGrant": %.1f,
				    "rawSignMicrosSingleThread": %.1f
				  },
				  "machine": { "cpus": %d, "java": "%s" },
				  "firstError": %s
				}
				""", Instant.now(), this.connections, this.warmupSeconds, this.windowSeconds, this.grants,
				this.errors, this.warmupErrors, this.reconnects, this.grantsPerSecond, this.p50Millis,
				this.p90Millis, this.p99Millis, this.maxMillis, this.connections, this.signPerSecond,
				this.signPerSecondBefore, this.signPerSecondAfter, this.signPerSecondSingleThread, this.modulusBits,
				this.tokenChars, this.ratio, this.loaderCpuShare, this.gatewayCpuMicrosPerGrant, this.signCpuMicros,
				this.cpus, this.javaVersion, jsonString(this.firstError));
	}

	private static String jsonString(String s) {
		if (s == null) {
			return "null";
		}
		StringBuilder b = new StringBuilder("\"");
		for (char c : s.toCharArray()) {
			switch (c) {
				case '"' -> b.append("\\\"");
				case '\\' -> b.append("\\\\");
				default -> {
					if (c < 0x20) {
						b.append(String.format("\\u%04x", (int) c));
					}
					else {
						b.append(c);
					}
				}
			}
		}
		return b.append('"').toString();
	}

}
