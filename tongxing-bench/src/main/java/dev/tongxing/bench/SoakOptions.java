package dev.tongxing.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Options of {@code soak} (issue 12), all {@code --name=value}.
 *
 * @param duration how long the mixed load runs (the drain and the audit check come after it)
 * @param faults the share of the gateway's calls to WeChat's API ({@code /sns/*}) that the emulator fails
 * @param killEvery one node is SIGKILLed and started again this often, the nodes taking turns
 * @param concurrency workers, each running one person's operation after another
 * @param people people with an account at the start (more are created as others delete theirs)
 * @param sampleEvery how often each node's memory is sampled
 * @param warmup the part of each node process's lifetime its memory is not judged on (JIT, caches filling)
 * @param coolingOff the deletion cooling-off the nodes run with: short, so the soak also sees deletions complete
 * (their {@code account-purged} events) within the drain
 * @param drain how long, at most, to wait after the load for the events still owed
 * @param output the JSON report
 * @param serverJar the packaged gateway every node runs
 * @param jvmOptions the nodes' JVM options
 * @param startTimeout how long a node may take to be healthy (a start on a shared, busy 2-core machine has taken
 * over 3 minutes)
 */
record SoakOptions(Duration duration, double faults, Duration killEvery, int concurrency, int people,
		Duration sampleEvery, Duration warmup, Duration coolingOff, Duration drain, Path output, Path serverJar,
		String jvmOptions, Duration startTimeout) {

	SoakOptions {
		if (duration.compareTo(Duration.ofSeconds(10)) < 0 || duration.compareTo(Duration.ofHours(24)) > 0) {
			throw new IllegalArgumentException("--duration must be between 10 seconds and 24 hours: " + duration);
		}
		if (!(faults >= 0 && faults < 1)) {
			throw new IllegalArgumentException("--faults must be a share of calls, at least 0 and below 1: " + faults);
		}
		if (!killEvery.isZero() && killEvery.compareTo(Duration.ofSeconds(20)) < 0) {
			// a node takes 10-20 s to start on this machine: killing more often would kill it while starting
			throw new IllegalArgumentException("--kill-every must be 0 (never) or at least 20 seconds: " + killEvery);
		}
		if (concurrency < 1 || concurrency > 64) {
			throw new IllegalArgumentException("--concurrency must be between 1 and 64: " + concurrency);
		}
		if (people < concurrency || people > 10_000) {
			throw new IllegalArgumentException("--people must be between --concurrency and 10000: " + people);
		}
		if (sampleEvery.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("--sample-every must be at least 1 second: " + sampleEvery);
		}
		if (warmup.isNegative()) {
			throw new IllegalArgumentException("--warmup must not be negative: " + warmup);
		}
		if (coolingOff.compareTo(Duration.ofSeconds(10)) < 0 || coolingOff.compareTo(Duration.ofDays(7)) > 0) {
			throw new IllegalArgumentException("--cooling-off must be between 10 seconds and 7 days: " + coolingOff);
		}
		if (startTimeout.compareTo(Duration.ofSeconds(30)) < 0) {
			throw new IllegalArgumentException("--start-timeout must be at least 30 seconds: " + startTimeout);
		}
		if (drain.compareTo(coolingOff.plusSeconds(30)) < 0) {
			// a deletion made at the end completes a cooling-off (and a check interval) later: its account-purged
			// events must be awaited
			throw new IllegalArgumentException("--drain (" + drain + ") must be at least --cooling-off (" + coolingOff
					+ ") plus 30 seconds");
		}
	}

	/**
	 * One heap size for every run: left to the JVM it is a quarter of the machine's memory (6 GB here), which a
	 * node grows into before it collects much, and RSS growing into it says nothing about a leak.
	 */
	static final String DEFAULT_JVM_OPTIONS = "-Xmx512m";

	static SoakOptions parse(Map<String, String> o) {
		for (String name : o.keySet()) {
			if (!java.util.Set.of("duration", "faults", "kill-every", "concurrency", "people", "sample-every", "warmup",
					"cooling-off", "drain", "output", "server-jar", "jvm-options", "start-timeout").contains(name)) {
				throw new IllegalArgumentException("Unknown option --" + name + "\n" + usage());
			}
		}
		try {
			int concurrency = Integer.parseInt(o.getOrDefault("concurrency", "8"));
			return new SoakOptions(BenchOptions.duration(o.getOrDefault("duration", "PT1H")),
					Double.parseDouble(o.getOrDefault("faults", "0.10")),
					BenchOptions.duration(o.getOrDefault("kill-every", "PT10M")), concurrency,
					Integer.parseInt(o.getOrDefault("people", Integer.toString(concurrency * 4))),
					BenchOptions.duration(o.getOrDefault("sample-every", "PT1M")),
					BenchOptions.duration(o.getOrDefault("warmup", "PT5M")),
					BenchOptions.duration(o.getOrDefault("cooling-off", "PT1M")),
					BenchOptions.duration(o.getOrDefault("drain", "PT3M")),
					Path.of(o.getOrDefault("output", BenchOptions.defaultOutput().resolveSibling("soak.json").toString())),
					Path.of(o.getOrDefault("server-jar", "tongxing-server/target/tongxing-server.jar")),
					o.getOrDefault("jvm-options", DEFAULT_JVM_OPTIONS),
					BenchOptions.duration(o.getOrDefault("start-timeout", "PT10M")));
		}
		catch (NumberFormatException | java.time.format.DateTimeParseException ex) {
			throw new IllegalArgumentException("Not a number or duration: " + ex.getMessage() + "\n" + usage(), ex);
		}
	}

	/** What {@link NodeCommands.Node} takes. */
	Map<String, String> nodeOptions() {
		return Map.of("server-jar", this.serverJar.toString(), "jvm-options", this.jvmOptions);
	}

	static String usage() {
		return """
				usage: java -jar tongxing-bench.jar soak [options]
				  --duration=PT1H        mixed load this long (then the drain and audit verify)
				  --faults=0.10          share of the gateway's WeChat API calls the emulator fails (errcode -1, dropped, nginx 502 page)
				  --kill-every=PT10M     SIGKILL one node and start it again this often, nodes in turn (0: never)
				  --concurrency=8        workers, each running one person's operations in turn
				  --people=4*concurrency people with an account at the start
				  --sample-every=PT1M    memory sample of each node (RSS, heap after a full GC)
				  --warmup=PT5M          start of each node process's life its memory is not judged on
				  --cooling-off=PT1M     the nodes' deletion cooling-off (so deletions complete within the run)
				  --drain=PT3M           at most this long after the load for events still owed
				  --output=PATH          JSON report (default tongxing-bench/target/soak.json)
				  --server-jar=PATH      the gateway jar (default tongxing-server/target/tongxing-server.jar)
				  --jvm-options=-Xmx512m the nodes' JVM options
				  --start-timeout=PT10M  how long a node may take to be healthy""";
	}

}
