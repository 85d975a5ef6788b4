package dev.tongxing.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Command-line options of {@link TokenBench}, all {@code --name=value}.
 *
 * @param connections concurrent keep-alive connections of the load generator, and the number of threads
 * of the multi-threaded raw signing baseline (so the ratio compares like with like)
 * @param warmup load before the measuring window (JIT, connection set-up, DB warm-up); not counted
 * @param duration the measuring window of the load generator
 * @param signWarmup raw signing before its measured windows; not counted
 * @param signDuration the raw signing measurement with {@code connections} threads; it is split in two
 * halves, one just before and one just after the load window, so drift on a shared machine shows
 * @param signSingleDuration the single-thread raw signing window (reported for reference only)
 * @param maxRequests an upper bound on requests per connection (the loops are bounded in time and count)
 * @param output where the JSON result goes
 * @param gatewayProperties extra gateway properties ({@code --gateway.NAME=VALUE}), for experiments only: the
 * benchmark's numbers are for the gateway's own configuration
 * @param jfr when set, a JFR recording (profile settings) of the load's measuring window only is written there
 */
public record BenchOptions(int connections, Duration warmup, Duration duration, Duration signWarmup,
		Duration signDuration, Duration signSingleDuration, long maxRequests, Path output, Path jfr,
		java.util.Map<String, String> gatewayProperties) {

	public BenchOptions(int connections, Duration warmup, Duration duration, Duration signWarmup,
			Duration signDuration, Duration signSingleDuration, long maxRequests, Path output, Path jfr) {
		this(connections, warmup, duration, signWarmup, signDuration, signSingleDuration, maxRequests, output, jfr,
				java.util.Map.of());
	}

	public static final BenchOptions DEFAULTS = new BenchOptions(8, Duration.ofSeconds(20), Duration.ofSeconds(10),
			Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(2), 5_000_000, defaultOutput(), null);

	public BenchOptions {
		gatewayProperties = java.util.Map.copyOf(gatewayProperties);
		if (connections < 1 || connections > 256) {
			throw new IllegalArgumentException("--connections must be between 1 and 256");
		}
		for (Duration d : new Duration[] { warmup, duration, signWarmup, signDuration, signSingleDuration }) {
			if (d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
				throw new IllegalArgumentException("durations must be between 0 and 10 minutes: " + d);
			}
		}
		if (duration.isZero() || signDuration.isZero() || signSingleDuration.isZero()) {
			throw new IllegalArgumentException("measuring windows must not be zero");
		}
	}

	public static BenchOptions parse(String... args) {
		BenchOptions o = DEFAULTS;
		for (String arg : args) {
			if (arg.equals("--help") || arg.equals("-h")) {
				throw new IllegalArgumentException(usage());
			}
			int eq = arg.indexOf('=');
			if (!arg.startsWith("--") || eq < 0) {
				throw new IllegalArgumentException("Unknown argument '" + arg + "'\n" + usage());
			}
			String name = arg.substring(2, eq);
			String value = arg.substring(eq + 1);
			if (name.startsWith("gateway.")) {
				java.util.Map<String, String> extra = new java.util.LinkedHashMap<>(o.gatewayProperties);
				extra.put(name.substring("gateway.".length()), value);
				o = new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup, o.signDuration,
						o.signSingleDuration, o.maxRequests, o.output, o.jfr, extra);
				continue;
			}
			o = switch (name) {
				case "connections" -> new BenchOptions(Integer.parseInt(value), o.warmup, o.duration, o.signWarmup,
						o.signDuration, o.signSingleDuration, o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "warmup" -> new BenchOptions(o.connections, duration(value), o.duration, o.signWarmup,
						o.signDuration, o.signSingleDuration, o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "duration" -> new BenchOptions(o.connections, o.warmup, duration(value), o.signWarmup,
						o.signDuration, o.signSingleDuration, o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "sign-warmup" -> new BenchOptions(o.connections, o.warmup, o.duration, duration(value),
						o.signDuration, o.signSingleDuration, o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "sign-duration" -> new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup,
						duration(value), o.signSingleDuration, o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "sign-single-duration" -> new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup,
						o.signDuration, duration(value), o.maxRequests, o.output, o.jfr, o.gatewayProperties);
				case "max-requests" -> new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup,
						o.signDuration, o.signSingleDuration, Long.parseLong(value), o.output, o.jfr, o.gatewayProperties);
				case "output" -> new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup, o.signDuration,
						o.signSingleDuration, o.maxRequests, Path.of(value), o.jfr, o.gatewayProperties);
				case "jfr" -> new BenchOptions(o.connections, o.warmup, o.duration, o.signWarmup, o.signDuration,
						o.signSingleDuration, o.maxRequests, o.output, Path.of(value), o.gatewayProperties);
				default -> throw new IllegalArgumentException("Unknown option --" + name + "\n" + usage());
			};
		}
		return o;
	}

	/** {@code tongxing-bench/target/...} from the repository root, {@code target/...} from the module. */
	static Path defaultOutput() {
		Path module = Path.of("tongxing-bench");
		return (module.resolve("pom.xml").toFile().isFile() ? module.resolve("target") : Path.of("target"))
			.resolve("bench-result.json");
	}

	/** {@code 10s}, {@code 500ms}, {@code 1m}, or ISO-8601 ({@code PT10S}). */
	static Duration duration(String value) {
		String v = value.trim().toLowerCase(Locale.ROOT);
		if (v.startsWith("pt")) {
			return Duration.parse(v.toUpperCase(Locale.ROOT));
		}
		if (v.endsWith("ms")) {
			return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
		}
		if (v.endsWith("s")) {
			return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
		}
		if (v.endsWith("m")) {
			return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
		}
		return Duration.ofSeconds(Long.parseLong(v));
	}

	static String usage() {
		return """
				usage: java -jar tongxing-bench/target/tongxing-bench.jar [options]
				  --connections=8          concurrent keep-alive connections = raw-signing threads
				  --warmup=20s             load before the measuring window (the JIT needs it)
				  --duration=10s           load measuring window
				  --sign-warmup=2s         raw RS256 signing warm-up
				  --sign-duration=4s       raw signing with N threads (half before, half after the load)
				  --sign-single-duration=2s  raw signing with one thread (reference)
				  --max-requests=5000000   bound on requests per connection
				  --output=PATH            JSON result (default tongxing-bench/target/bench-result.json)
				  --jfr=PATH               also record the load window with JFR (profile settings)
				  --gateway.NAME=VALUE     extra gateway property, for experiments (e.g. --gateway.spring.threads.virtual.enabled=false)""";
	}

}
