package dev.tongxing.bench;

import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one run measured. {@link #ratio()} is the number issue 2 tracks: grants per second over raw RS256
 * signatures per second, both with the same number of concurrent connections/threads, same JVM, same run.
 * <p>
 * The CPU view is a second, steadier reading on a shared machine (other processes take wall time from
 * both sides unevenly, but not CPU time): CPU time of one raw signature (signing threads' own CPU time)
 * over the gateway's CPU time per grant (this process's CPU time in the window minus the load generator
 * threads'). {@code cpuRatioWithoutJit} also leaves out the JIT compilers' time in the window, which a
 * fully warmed-up JVM would not spend.
 */
public record BenchResult(int connections, double warmupSeconds, double windowSeconds, long grants, long errors,
		long warmupErrors, long reconnects, long overOneSecond, long overOneSecondOnNewConnection,
		double grantsPerSecond, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
		double signPerSecondBefore, double signPerSecondAfter, double signPerSecond,
		double signPerSecondSingleThread, double ratio, double loaderCpuShare, double gatewayCpuMicrosPerGrant,
		double gatewayCpuMicrosPerGrantWithoutJit, double signCpuMicros, double cpuRatio, double cpuRatioWithoutJit,
		double jitCpuMillisInWindow, double gcCpuMillisInWindow, int modulusBits, int tokenChars, int cpus, String javaVersion,
		String firstError, Map<String, String> gatewayExtraProperties) {

	static BenchResult of(BenchOptions options, LoadGenerator.Result load, RawSigner.Rate before,
			RawSigner.Rate after, RawSigner.Rate single, TokenBench.Sample sample) {
		double sign = (before.operations() + after.operations())
				/ ((before.elapsed().toNanos() + after.elapsed().toNanos()) / 1e9);
		double grants = load.grantsPerSecond();
		double loaderShare = load.processCpuNanos() > 0 ? (double) load.loaderCpuNanos() / load.processCpuNanos()
				: Double.NaN;
		double gatewayCpuNanos = load.processCpuNanos() - load.loaderCpuNanos();
		double perGrant = load.successes() > 0 ? gatewayCpuNanos / 1e3 / load.successes() : Double.NaN;
		double perGrantWithoutJit = load.successes() > 0 && load.jitCpuNanos() >= 0
				? (gatewayCpuNanos - load.jitCpuNanos()) / 1e3 / load.successes() : Double.NaN;
		double signCpu = (before.cpuNanos() < 0 || after.cpuNanos() < 0) ? Double.NaN
				: (before.cpuNanos() + after.cpuNanos()) / 1e3 / (before.operations() + after.operations());
		return new BenchResult(load.connections(), load.warmup().toMillis() / 1e3,
				load.window().toMillis() / 1e3, load.successes(), load.errors(), load.warmupErrors(),
				load.reconnects(), load.overOneSecond(), load.overOneSecondOnNewConnection(), grants,
				load.percentileMillis(50), load.percentileMillis(90), load.percentileMillis(99),
				load.latencyMicros().getMaxValue() / 1e3, before.perSecond(), after.perSecond(), sign,
				single.perSecond(), sign > 0 ? grants / sign : Double.NaN, loaderShare, perGrant, perGrantWithoutJit,
				signCpu, signCpu / perGrant, signCpu / perGrantWithoutJit, load.jitCpuNanos() / 1e6, load.gcCpuNanos() / 1e6,
				sample.modulusBits(), sample.serialized().length(), Runtime.getRuntime().availableProcessors(),
				Runtime.version().toString(), load.firstError(), options.gatewayProperties());
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
				  what is compared: POST /oauth2/token (grant_type=client_credentials, HTTP Basic) on %d keep-alive \
				connections, %.0f s window after %.0f s warm-up: %d grants, %d errors, %d reconnects, p90 %.2f ms, \
				max %.2f ms, %d over 1 s (%d on a new connection)
				  against: signing an equivalent %d-char at+jwt with Nimbus RSASSASigner, %d-bit RSA, %d threads, same \
				JVM (%.0f/s before the load, %.0f/s after; the spread shows the machine's noise)
				  ratio 1.0 = a grant costs only its signature; target >= 0.8
				  CPU view: %.0f us CPU per raw signature / %.0f us gateway CPU per grant = %.2f; without the JIT \
				compilers' CPU (%.0f ms in the window, %.0f%% of the process's; a warm JVM spends ~0): %.0f us per grant \
				= %.2f; GC threads %.0f ms; load generator %.0f%% of the process's CPU""",
				this.connections, this.windowSeconds, this.warmupSeconds, this.grants, this.errors, this.reconnects,
				this.p90Millis, this.maxMillis, this.overOneSecond, this.overOneSecondOnNewConnection, this.tokenChars,
				this.modulusBits, this.connections, this.signPerSecondBefore, this.signPerSecondAfter,
				this.signCpuMicros, this.gatewayCpuMicrosPerGrant, this.cpuRatio, this.jitCpuMillisInWindow,
				100.0 * this.jitCpuMillisInWindow * 1000 / (this.gatewayCpuMicrosPerGrant * this.grants
						/ (1 - this.loaderCpuShare)),
				this.gatewayCpuMicrosPerGrantWithoutJit, this.cpuRatioWithoutJit, this.gcCpuMillisInWindow,
				this.loaderCpuShare * 100);
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
				  "requestsOverOneSecond": %d,
				  "requestsOverOneSecondOnNewConnection": %d,
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
				    "rawSignMicrosPerSignature": %.1f,
				    "gatewayMicrosPerGrant": %.1f,
				    "gatewayMicrosPerGrantWithoutJit": %.1f,
				    "ratio": %.4f,
				    "ratioWithoutJit": %.4f,
				    "loadGeneratorShare": %.4f,
				    "jitCompilerMillisInWindow": %.0f,
				    "gcThreadsMillisInWindow": %.0f
				  },
				  "machine": { "cpus": %d, "java": "%s" },
				  "firstError": %s,
				  "gatewayExtraProperties": %s
				}
				""", Instant.now(), this.connections, this.warmupSeconds, this.windowSeconds, this.grants,
				this.errors, this.warmupErrors, this.reconnects, this.overOneSecond, this.overOneSecondOnNewConnection,
				this.grantsPerSecond, num(this.p50Millis), num(this.p90Millis), num(this.p99Millis),
				num(this.maxMillis), this.connections, this.signPerSecond, this.signPerSecondBefore,
				this.signPerSecondAfter, this.signPerSecondSingleThread, this.modulusBits, this.tokenChars,
				num(this.ratio), num(this.signCpuMicros), num(this.gatewayCpuMicrosPerGrant),
				num(this.gatewayCpuMicrosPerGrantWithoutJit), num(this.cpuRatio), num(this.cpuRatioWithoutJit),
				num(this.loaderCpuShare), this.jitCpuMillisInWindow, this.gcCpuMillisInWindow, this.cpus, this.javaVersion,
				jsonString(this.firstError),
				this.gatewayExtraProperties.entrySet()
					.stream()
					.map(e -> jsonString(e.getKey()) + ": " + jsonString(e.getValue()))
					.collect(Collectors.joining(", ", "{", "}")));
	}

	/** JSON has no NaN: report an unmeasurable value as 0 (it only happens with zero grants). */
	private static double num(double value) {
		return Double.isFinite(value) ? value : 0;
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
						b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
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
