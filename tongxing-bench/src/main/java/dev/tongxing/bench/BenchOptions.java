package dev.tongxing.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Command-line options of {@link TokenBench}, all {@code --name=value}.
 *
 * @param connections concurrent keep-alive connections of the load generator, and the number of threads
 * of the multi-threaded raw signing baseline (so the ratio compares like with like)
 * @param warmup least load before the measuring window (JIT, connection set-up, DB warm-up); not counted
 * @param warmupGrants least successful grants in the warm-up (the JIT warms up by counts, not time)
 * @param warmupMax the warm-up ends after this long even if {@code warmupGrants} were not reached
 * @param duration the measuring window of the load generator, split into {@code rounds} segments
 * @param rounds load segments; raw signing is measured before, between and after them (load paused)
 * @param signWarmup raw signing before its measured windows; not counted
 * @param signDuration the raw signing measurement with {@code connections} threads, split into
 * {@code rounds + 1} bursts around the load segments, so both sides see the same drift of a shared machine
 * @param signSingleDuration the single-thread raw signing window (reported for reference only)
 * @param maxRequests an upper bound on requests per connection (the loops are bounded in time and count)
 * @param output where the JSON result goes
 * @param jfr when set, a JFR recording (profile settings) of the load's measuring window only is written there
 * @param gatewayProperties extra gateway properties ({@code --gateway.NAME=VALUE}), for experiments only: the
 * benchmark's numbers are for the gateway's own configuration
 * @param workloads the workloads to run, in order ({@code --workloads=cc-rs256,refresh,...} or {@code all})
 * @param database {@code h2} (in memory) or {@code postgres} (a fresh schema, dropped afterwards)
 */
public record BenchOptions(int connections, Duration warmup, long warmupGrants, Duration warmupMax,
		Duration duration, int rounds, Duration signWarmup, Duration signDuration, Duration signSingleDuration, long maxRequests,
		Path output, Path jfr, Map<String, String> gatewayProperties, java.util.List<String> workloads,
		String database) {

	public static final BenchOptions DEFAULTS = parse();

	public BenchOptions {
		gatewayProperties = Map.copyOf(gatewayProperties);
		workloads = java.util.List.copyOf(workloads);
		if (workloads.isEmpty()) {
			throw new IllegalArgumentException("--workloads names none");
		}
		for (String w : workloads) {
			if (!Workloads.NAMES.contains(w)) {
				throw new IllegalArgumentException("Unknown workload " + w + "; known: " + String.join(",", Workloads.NAMES));
			}
		}
		if (!database.equals("h2") && !database.equals("postgres")) {
			throw new IllegalArgumentException("--database must be h2 or postgres");
		}
		if (connections < 1 || connections > 256) {
			throw new IllegalArgumentException("--connections must be between 1 and 256");
		}
		for (Duration d : new Duration[] { warmup, warmupMax, duration, signWarmup, signDuration,
				signSingleDuration }) {
			if (d.isNegative() || d.compareTo(Duration.ofMinutes(10)) > 0) {
				throw new IllegalArgumentException("durations must be between 0 and 10 minutes: " + d);
			}
		}
		if (duration.isZero() || signDuration.isZero() || signSingleDuration.isZero()) {
			throw new IllegalArgumentException("measuring windows must not be zero");
		}
		if (rounds < 1 || rounds > LoadGenerator.MAX_SEGMENTS) {
			throw new IllegalArgumentException("--rounds must be between 1 and " + LoadGenerator.MAX_SEGMENTS);
		}
		if (warmupGrants < 0 || maxRequests < 1) {
			throw new IllegalArgumentException("--warmup-grants must be >= 0 and --max-requests >= 1");
		}
	}

	public static BenchOptions parse(String... args) {
		int connections = 8;
		Duration warmup = Duration.ofSeconds(10);
		long warmupGrants = 15_000;
		Duration warmupMax = Duration.ofSeconds(30);
		Duration duration = Duration.ofSeconds(10);
		int rounds = 4;
		Duration signWarmup = Duration.ofSeconds(2);
		Duration signDuration = Duration.ofSeconds(4);
		Duration signSingleDuration = Duration.ofSeconds(2);
		long maxRequests = 5_000_000;
		Path output = defaultOutput();
		Path jfr = null;
		Map<String, String> gateway = new LinkedHashMap<>();
		java.util.List<String> workloads = Workloads.NAMES;
		String database = "h2";
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
				gateway.put(name.substring("gateway.".length()), value);
				continue;
			}
			switch (name) {
				case "connections" -> connections = Integer.parseInt(value);
				case "warmup" -> warmup = duration(value);
				case "warmup-grants" -> warmupGrants = Long.parseLong(value);
				case "warmup-max" -> warmupMax = duration(value);
				case "duration" -> duration = duration(value);
				case "rounds" -> rounds = Integer.parseInt(value);
				case "sign-warmup" -> signWarmup = duration(value);
				case "sign-duration" -> signDuration = duration(value);
				case "sign-single-duration" -> signSingleDuration = duration(value);
				case "max-requests" -> maxRequests = Long.parseLong(value);
				case "output" -> output = Path.of(value);
				case "jfr" -> jfr = Path.of(value);
				case "workloads" -> workloads = value.equals("all") ? Workloads.NAMES
						: value.equals("rs256") ? Workloads.RS256
						: java.util.Arrays.stream(value.split(",")).map(String::trim).filter(w -> !w.isEmpty()).distinct().toList();
				case "database" -> database = value;
				default -> throw new IllegalArgumentException("Unknown option --" + name + "\n" + usage());
			}
		}
		return new BenchOptions(connections, warmup, warmupGrants, warmupMax, duration, rounds, signWarmup, signDuration,
				signSingleDuration, maxRequests, output, jfr, gateway, workloads, database);
	}

	/** {@code tongxing-bench/target/...} from the repository root, {@code target/...} from the module. */
	static Path defaultOutput() {
		Path module = Path.of("tongxing-bench");
		return (module.resolve("pom.xml").toFile().isFile() ? module.resolve("target") : Path.of("target"))
			.resolve("bench-result.json");
	}

	/** {@code 10s}, {@code 1.5s}, {@code 500ms}, {@code 1m}, a bare number of seconds, or ISO-8601 ({@code PT10S}). */
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
				  --workloads=all          comma-separated, of: cc-rs256, cc-es256, cc-eddsa, refresh, introspect,
				                           auth-code, token-exchange; "all", or "rs256" (all but cc-es256, cc-eddsa)
				  --database=h2            h2 (in memory) or postgres (a fresh schema on 127.0.0.1:5432, dropped after)
				  --connections=8          concurrent keep-alive connections = raw-signing threads
				  --warmup=10s             least load before the measuring window
				  --warmup-grants=15000    ... and least grants in it (the JIT needs them)
				  --warmup-max=30s         ... but no longer than this
				  --duration=10s           load measuring window, in total
				  --rounds=4               ... split into this many segments, raw signing before, between, after
				  --sign-warmup=2s         raw RS256 signing warm-up
				  --sign-duration=4s       raw signing with N threads, in total (rounds + 1 bursts)
				  --sign-single-duration=2s  raw signing with one thread (reference)
				  --max-requests=5000000   bound on requests per connection
				  --output=PATH            JSON result (default tongxing-bench/target/bench-result.json)
				  --jfr=PATH               also record the load window with JFR (profile settings)
				  --gateway.NAME=VALUE     extra gateway property, for experiments only
				                           (e.g. --gateway.spring.threads.virtual.enabled=false)""";
	}

}
