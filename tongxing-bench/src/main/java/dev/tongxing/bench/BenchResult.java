package dev.tongxing.bench;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What one workload of a run measured. {@link #ratio()} is the number issues 2 and 10 track: grants per second
 * over raw signatures per second of the workload's algorithm, both with the same number of concurrent
 * connections/threads, same JVM, same run.
 * <p>
 * The CPU view is a second, steadier reading on a shared machine (other processes take wall time from
 * both sides unevenly, but not CPU time): CPU time of one raw signature (signing threads' own CPU time)
 * over the gateway's CPU time per grant (this process's CPU time in the window minus the load generator
 * threads'). {@code cpuRatioWithoutJit} also leaves out the JIT compilers' time in the window, which a
 * fully warmed-up JVM would not spend.
 */
public record BenchResult(String workload, String label, String algorithm, String database, String measured,
		int signaturesPerGrant, String target, Boolean targetMet, double p999Millis, long starvedMillis, int connections, double warmupSeconds, double windowSeconds, long grants, long errors,
		long warmupErrors, long reconnects, long overOneSecond, long overOneSecondOnNewConnection,
		double grantsPerSecond, double p50Millis, double p90Millis, double p99Millis, double maxMillis,
		double signPerSecondMin, double signPerSecondMax, double signPerSecond, double signPerSecondSingleThread,
		double ratio, double roundRatioMin, double roundRatioMax, int rounds, double loaderCpuShare, double gatewayCpuMicrosPerGrant,
		double gatewayCpuMicrosPerGrantWithoutJit, double signCpuMicros, double cpuRatio, double cpuRatioWithoutJit,
		double jitCpuMillisInWindow, double gcCpuMillisInWindow, double loadCpuUtilization,
		double signCpuUtilization, int modulusBits, int tokenChars, int cpus, String javaVersion,
		String firstError, Map<String, String> gatewayExtraProperties, LimiterCost limiter) {

	static BenchResult of(BenchOptions options, Workload workload, LoadGenerator.Result load,
			List<RawSigner.Rate> bursts, RawSigner.Rate single, TokenBench.Sample sample, LimiterCost.Reading limiterBefore,
			LimiterCost.Reading limiterAfter, double limiterCpuMicros) {
		long ops = 0;
		long nanos = 0;
		long signCpuNanos = 0;
		double minRate = Double.MAX_VALUE;
		double maxRate = 0;
		for (RawSigner.Rate r : bursts) {
			ops += r.operations();
			nanos += r.elapsed().toNanos();
			signCpuNanos = (signCpuNanos < 0 || r.cpuNanos() < 0) ? -1 : signCpuNanos + r.cpuNanos();
			minRate = Math.min(minRate, r.perSecond());
			maxRate = Math.max(maxRate, r.perSecond());
		}
		double sign = ops / (nanos / 1e9);
		// each load segment against the mean of the signing bursts on either side of it
		double minRound = Double.MAX_VALUE;
		double maxRound = 0;
		List<LoadGenerator.Segment> segments = load.segments();
		for (int i = 0; i < segments.size() && i + 1 < bursts.size(); i++) {
			double around = (bursts.get(i).perSecond() + bursts.get(i + 1).perSecond()) / 2;
			double r = segments.get(i).grantsPerSecond() / around;
			minRound = Math.min(minRound, r);
			maxRound = Math.max(maxRound, r);
		}
		double grants = load.grantsPerSecond();
		double loaderShare = load.processCpuNanos() > 0 ? (double) load.loaderCpuNanos() / load.processCpuNanos()
				: Double.NaN;
		double gatewayCpuNanos = load.processCpuNanos() - load.loaderCpuNanos();
		double perGrant = load.successes() > 0 ? gatewayCpuNanos / 1e3 / load.successes() : Double.NaN;
		double perGrantWithoutJit = load.successes() > 0 && load.jitCpuNanos() >= 0
				? (gatewayCpuNanos - load.jitCpuNanos()) / 1e3 / load.successes() : Double.NaN;
		double signCpu = signCpuNanos < 0 || ops == 0 ? Double.NaN : signCpuNanos / 1e3 / ops;
		BenchResult result = new BenchResult(workload.name(), workload.label(), workload.algorithm().getName(),
				options.database(), workload.measured(), workload.signaturesPerGrant(), workload.target().text(), null,
				load.percentileMillis(99.9), load.starvedMillis(), load.connections(), load.warmup().toMillis() / 1e3,
				load.window().toMillis() / 1e3, load.successes(), load.errors(), load.warmupErrors(),
				load.reconnects(), load.overOneSecond(), load.overOneSecondOnNewConnection(), grants,
				load.percentileMillis(50), load.percentileMillis(90), load.percentileMillis(99),
				load.latencyMicros().getMaxValue() / 1e3, minRate, maxRate, sign, single.perSecond(),
				sign > 0 ? grants / sign : Double.NaN, segments.isEmpty() ? Double.NaN : minRound,
				segments.isEmpty() ? Double.NaN : maxRound, segments.size(), loaderShare, perGrant, perGrantWithoutJit,
				signCpu, signCpu / perGrant, signCpu / perGrantWithoutJit, load.jitCpuNanos() / 1e6,
				load.gcCpuNanos() / 1e6,
				load.processCpuNanos() / (double) load.window().toNanos() / Runtime.getRuntime().availableProcessors(),
				signCpuNanos < 0 ? Double.NaN
						: signCpuNanos / (double) nanos / Runtime.getRuntime().availableProcessors(),
				sample.modulusBits(), sample.serialized().length(),
				Runtime.getRuntime().availableProcessors(), Runtime.version().toString(), load.firstError(),
				options.gatewayProperties(), limiterBefore == null || limiterAfter == null ? null
						: LimiterCost.between(limiterBefore, limiterAfter, limiterCpuMicros, perGrant));
		return result.withTargetMet(workload.target().met(result));
	}

	private BenchResult withTargetMet(Boolean met) {
		return new BenchResult(this.workload, this.label, this.algorithm, this.database, this.measured,
				this.signaturesPerGrant, this.target, met, this.p999Millis, this.starvedMillis, this.connections,
				this.warmupSeconds, this.windowSeconds, this.grants, this.errors, this.warmupErrors, this.reconnects,
				this.overOneSecond, this.overOneSecondOnNewConnection, this.grantsPerSecond, this.p50Millis,
				this.p90Millis, this.p99Millis, this.maxMillis, this.signPerSecondMin, this.signPerSecondMax,
				this.signPerSecond, this.signPerSecondSingleThread, this.ratio, this.roundRatioMin, this.roundRatioMax,
				this.rounds, this.loaderCpuShare, this.gatewayCpuMicrosPerGrant, this.gatewayCpuMicrosPerGrantWithoutJit,
				this.signCpuMicros, this.cpuRatio, this.cpuRatioWithoutJit, this.jitCpuMillisInWindow,
				this.gcCpuMillisInWindow, this.loadCpuUtilization, this.signCpuUtilization, this.modulusBits,
				this.tokenChars, this.cpus, this.javaVersion, this.firstError, this.gatewayExtraProperties, this.limiter);
	}

	/** The requests that failed, in the window and in the warm-up, and time spent waiting for an empty pool. */
	boolean failed() {
		return this.errors > 0 || this.warmupErrors > 0 || this.starvedMillis > 0;
	}

	String summaryLine() {
		return String.format(Locale.ROOT,
				"%s: %.0f grants/s (p50 %.2f ms, p99 %.2f ms, p99.9 %.2f ms, %d errors) | %s raw sign: %.0f/s with %d threads"
						+ " (%.0f/s single thread) | ratio %.0f/%.0f = %.2f",
				this.label, this.grantsPerSecond, this.p50Millis, this.p99Millis, this.p999Millis, this.errors,
				this.algorithm, this.signPerSecond, this.connections, this.signPerSecondSingleThread,
				this.grantsPerSecond, this.signPerSecond, this.ratio);
	}

	String explanation() {
		return String.format(Locale.ROOT, """
				  what is compared: %s; %d keep-alive \
				connections, %.0f s window in %d rounds after %.1f s warm-up: %d grants, %d errors, %d reconnects, \
				p90 %.2f ms, max %.2f ms, %d over 1 s (%d on a new connection)
				  against: signing an equivalent %d-char at+jwt %s (%d-bit key), %d threads, same \
				JVM, in bursts before, between and after the rounds (%.0f/s to %.0f/s)
				  ratio 1.0 = a request costs only one signature (this one makes %d); target: %s; per round %.2f to %.2f \
				(a wide spread means the machine was busy with something else: run again)
				  CPU view: %.0f us CPU per raw signature / %.0f us gateway CPU per grant = %.2f; without the JIT \
				compilers' CPU (%.0f ms in the window, %.0f%% of the process's; a warm JVM spends ~0): %.0f us per grant \
				= %.2f; GC threads %.0f ms; load generator %.0f%% of the process's CPU
				  CPU used: %.0f%% of the machine during the load rounds, %.0f%% during raw signing (a gateway that \
				cannot keep the cores busy waits on something: locks, the database, scheduling, or other processes)""",
				this.measured, this.connections, this.windowSeconds, this.rounds, this.warmupSeconds, this.grants, this.errors,
				this.reconnects, this.p90Millis, this.maxMillis, this.overOneSecond, this.overOneSecondOnNewConnection,
				this.tokenChars, this.algorithm, this.modulusBits, this.connections, this.signPerSecondMin,
				this.signPerSecondMax, this.signaturesPerGrant, this.target == null ? "none" : this.target,
				this.roundRatioMin, this.roundRatioMax,
				this.signCpuMicros, this.gatewayCpuMicrosPerGrant, this.cpuRatio, this.jitCpuMillisInWindow,
				100.0 * this.jitCpuMillisInWindow * 1000 / (this.gatewayCpuMicrosPerGrant * this.grants
						/ (1 - this.loaderCpuShare)),
				this.gatewayCpuMicrosPerGrantWithoutJit, this.cpuRatioWithoutJit, this.gcCpuMillisInWindow,
				this.loaderCpuShare * 100, this.loadCpuUtilization * 100, this.signCpuUtilization * 100)
				+ (this.limiter == null ? "" : "\n" + this.limiter.line());
	}

	String toJson() {
		return String.format(Locale.ROOT, """
				{
				  "workload": %s,
				  "label": %s,
				  "algorithm": %s,
				  "database": %s,
				  "measured": %s,
				  "signaturesPerGrant": %d,
				  "target": %s,
				  "targetMet": %s,
				  "timestamp": "%s",
				  "connections": %d,
				  "warmupSeconds": %.3f,
				  "windowSeconds": %.3f,
				  "rounds": %d,
				  "grants": %d,
				  "errors": %d,
				  "warmupErrors": %d,
				  "reconnects": %d,
				  "requestsOverOneSecond": %d,
				  "requestsOverOneSecondOnNewConnection": %d,
				  "grantsPerSecond": %.1f,
				  "latencyMillis": { "p50": %.3f, "p90": %.3f, "p99": %.3f, "p99.9": %.3f, "max": %.3f },
				  "poolStarvedMillis": %d,
				  "rawSign": {
				    "threads": %d,
				    "perSecond": %.1f,
				    "perSecondLowestBurst": %.1f,
				    "perSecondHighestBurst": %.1f,
				    "perSecondSingleThread": %.1f,
				    "%s": %d,
				    "tokenChars": %d
				  },
				  "ratio": %.4f,
				  "ratioPerRound": { "min": %.4f, "max": %.4f },
				  "cpu": {
				    "rawSignMicrosPerSignature": %.1f,
				    "gatewayMicrosPerGrant": %.1f,
				    "gatewayMicrosPerGrantWithoutJit": %.1f,
				    "ratio": %.4f,
				    "ratioWithoutJit": %.4f,
				    "loadGeneratorShare": %.4f,
				    "jitCompilerMillisInWindow": %.0f,
				    "gcThreadsMillisInWindow": %.0f,
				    "machineUtilizationDuringLoad": %.4f,
				    "machineUtilizationDuringRawSigning": %.4f
				  },
				  "machine": { "cpus": %d, "java": "%s" },
				  "firstError": %s,
				  "gatewayExtraProperties": %s,
				  "rateLimiter": %s
				}
				""", jsonString(this.workload), jsonString(this.label), jsonString(this.algorithm),
				jsonString(this.database), jsonString(this.measured), this.signaturesPerGrant, jsonString(this.target),
				String.valueOf(this.targetMet), Instant.now(), this.connections, this.warmupSeconds, this.windowSeconds, this.rounds, this.grants,
				this.errors, this.warmupErrors, this.reconnects, this.overOneSecond, this.overOneSecondOnNewConnection,
				this.grantsPerSecond, num(this.p50Millis), num(this.p90Millis), num(this.p99Millis),
				num(this.p999Millis), num(this.maxMillis), this.starvedMillis, this.connections, this.signPerSecond,
				this.signPerSecondMin, this.signPerSecondMax, this.signPerSecondSingleThread,
				"RS256".equals(this.algorithm) ? "rsaModulusBits" : "keyBits", this.modulusBits, this.tokenChars,
				num(this.ratio), num(this.roundRatioMin), num(this.roundRatioMax), num(this.signCpuMicros), num(this.gatewayCpuMicrosPerGrant),
				num(this.gatewayCpuMicrosPerGrantWithoutJit), num(this.cpuRatio), num(this.cpuRatioWithoutJit),
				num(this.loaderCpuShare), this.jitCpuMillisInWindow, this.gcCpuMillisInWindow, num(this.loadCpuUtilization),
				num(this.signCpuUtilization), this.cpus, this.javaVersion,
				jsonString(this.firstError),
				this.gatewayExtraProperties.entrySet()
					.stream()
					.map(e -> jsonString(e.getKey()) + ": " + jsonString(e.getValue()))
					.collect(Collectors.joining(", ", "{", "}")),
				this.limiter == null ? "null" : this.limiter.json());
	}

	/** JSON has no NaN: report an unmeasurable value as 0 (it only happens with zero grants). */
	private static double num(double value) {
		return Double.isFinite(value) ? value : 0;
	}

	static String jsonString(String s) {
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
