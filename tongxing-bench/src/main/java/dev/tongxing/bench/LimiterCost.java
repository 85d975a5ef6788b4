package dev.tongxing.bench;

import dev.tongxing.server.ratelimit.ClientRateLimiter;
import dev.tongxing.server.ratelimit.LimitedEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.lang.management.ManagementFactory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import java.util.concurrent.TimeUnit;

/**
 * What the client rate limits add to a request on the token path, against the gateway CPU a grant costs in the
 * same rounds, seen two ways. In the path: the gateway's own timer ({@code tongxing_rate_limit_check{store}}) over
 * the load rounds; it is wall time, so on a loaded machine it also counts a thread descheduled mid-check (and on
 * Redis the round trip): an upper bound. Alone: the same decisions taken in a burst right after the rounds, by as
 * many threads as there were connections, timed by the CPU the whole process used meanwhile (Lettuce's I/O threads
 * included) plus, with Redis, the CPU of the {@code redis-server} process on this machine — what a check costs it.
 *
 * @param store where the buckets were: {@code local} (this node's memory) or {@code redis}
 * @param checks decisions taken in the rounds
 * @param wallMicrosPerCheck their mean wall time in the path
 * @param p50WallMicros the median, from the timer's histogram (the upper bound of its bucket)
 * @param p99WallMicros the 99th percentile, likewise
 * @param maxWallMicros the longest one the timer kept (its recent maximum)
 * @param cpuMicrosPerCheck CPU per decision in the burst
 * @param shareOfGrantCpu {@code cpuMicrosPerCheck} / gateway CPU per grant; the target is under 0.05
 */
record LimiterCost(String store, long checks, double wallMicrosPerCheck, double p50WallMicros, double p99WallMicros,
		double maxWallMicros, double cpuMicrosPerCheck, double shareOfGrantCpu) {

	static final String TIMER = "tongxing_rate_limit_check";

	/** The timers' totals at one moment, and their histograms' cumulative counts by bucket (nanoseconds). */
	record Reading(long localCount, double localNanos, long redisCount, double redisNanos, double maxNanos,
			java.util.SortedMap<Double, Double> buckets) {

		long count() {
			return this.localCount + this.redisCount;
		}

		static Reading of(MeterRegistry meters) {
			Timer local = meters.find(TIMER).tag("store", "local").timer();
			Timer redis = meters.find(TIMER).tag("store", "redis").timer();
			java.util.SortedMap<Double, Double> buckets = new java.util.TreeMap<>();
			for (Timer timer : new Timer[] { local, redis }) {
				if (timer != null) {
					for (io.micrometer.core.instrument.distribution.CountAtBucket bucket : timer.takeSnapshot()
						.histogramCounts()) {
						buckets.merge(bucket.bucket(TimeUnit.NANOSECONDS), bucket.count(), Double::sum);
					}
				}
			}
			return new Reading(local == null ? 0 : local.count(), local == null ? 0 : local.totalTime(TimeUnit.NANOSECONDS),
					redis == null ? 0 : redis.count(), redis == null ? 0 : redis.totalTime(TimeUnit.NANOSECONDS),
					Math.max(local == null ? 0 : local.max(TimeUnit.NANOSECONDS),
							redis == null ? 0 : redis.max(TimeUnit.NANOSECONDS)), buckets);
		}

		/** The upper bound (microseconds) of the bucket holding the {@code q} quantile of what came after {@code before}. */
		double quantileMicrosSince(Reading before, double q) {
			double total = count() - before.count();
			for (var bucket : this.buckets.entrySet()) {
				double cumulative = bucket.getValue() - before.buckets().getOrDefault(bucket.getKey(), 0.0);
				if (total > 0 && cumulative >= q * total) {
					return bucket.getKey() / 1e3;
				}
			}
			return Double.NaN;
		}

	}

	/** Between two readings; null when the limits took no decision (switched off, or another endpoint). */
	static LimiterCost between(Reading before, Reading after, double cpuMicrosPerCheck,
			double gatewayCpuMicrosPerGrant) {
		long local = after.localCount() - before.localCount();
		long redis = after.redisCount() - before.redisCount();
		long checks = local + redis;
		if (checks == 0) {
			return null;
		}
		double micros = (after.localNanos() - before.localNanos() + after.redisNanos() - before.redisNanos()) / 1e3
				/ checks;
		String store = redis == 0 ? "local" : local == 0 ? "redis" : "local+redis";
		return new LimiterCost(store, checks, micros, after.quantileMicrosSince(before, 0.5),
				after.quantileMicrosSince(before, 0.99), after.maxNanos() / 1e3, cpuMicrosPerCheck,
				gatewayCpuMicrosPerGrant > 0 ? cpuMicrosPerCheck / gatewayCpuMicrosPerGrant : Double.NaN);
	}

	/**
	 * Takes the limits' decision for {@code clientId}'s token requests as fast as {@code threads} threads can for
	 * {@code length}.
	 * @return CPU microseconds per decision (NaN when the JVM cannot time threads' CPU)
	 */
	static double burst(ConfigurableApplicationContext gateway, String clientId, int threads, Duration length)
			throws InterruptedException {
		ClientRateLimiter limiter = gateway.getBean(ClientRateLimiter.class);
		RegisteredClient client = gateway.getBean(RegisteredClientRepository.class).findByClientId(clientId);
		if (client == null || !(ManagementFactory.getOperatingSystemMXBean()
				instanceof com.sun.management.OperatingSystemMXBean os) || os.getProcessCpuTime() < 0) {
			return Double.NaN;
		}
		LongAdder decisions = new LongAdder();
		long end = System.nanoTime() + length.toNanos();
		long processBefore = os.getProcessCpuTime();
		long redisBefore = redisServerCpuNanos();
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			workers.add(Thread.ofPlatform().name("bench-limiter-" + i).start(() -> {
				long n = 0;
				while ((n & 63) != 0 || System.nanoTime() < end) {
					limiter.decide(client, LimitedEndpoint.TOKEN);
					n++;
				}
				decisions.add(n);
			}));
		}
		for (Thread worker : workers) {
			worker.join();
		}
		long cpu = os.getProcessCpuTime() - processBefore + Math.max(0, redisServerCpuNanos() - redisBefore);
		return decisions.sum() == 0 ? Double.NaN : cpu / 1e3 / decisions.sum();
	}

	/** CPU time of the {@code redis-server} processes on this machine so far (0 when there is none, or no /proc). */
	private static long redisServerCpuNanos() {
		long ticks = 0;
		try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
			for (Path process : processes) {
				try {
					String stat = Files.readString(process.resolve("stat"));
					int close = stat.lastIndexOf(')');
					if (stat.substring(stat.indexOf('(') + 1, close).equals("redis-server")) {
						String[] fields = stat.substring(close + 2).split(" ");
						ticks += Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					}
				}
				catch (IOException | RuntimeException gone) {
					// the process ended while we looked
				}
			}
		}
		catch (IOException ex) {
			return 0;
		}
		return ticks * 10_000_000L;
	}

	String line() {
		return String.format(Locale.ROOT,
				"  rate limits (%s buckets): %.2f us CPU per check alone = %.2f%% of the gateway CPU per grant "
						+ "(target < 5%%); in the path %d checks, wall p50 <= %.1f us, p99 <= %.0f us, mean %.1f us, max "
						+ "%.0f us (wall time includes time descheduled on a busy machine)",
				this.store, this.cpuMicrosPerCheck, 100 * this.shareOfGrantCpu, this.checks, this.p50WallMicros,
				this.p99WallMicros, this.wallMicrosPerCheck, this.maxWallMicros);
	}

	String json() {
		return String.format(Locale.ROOT,
				"{ \"store\": \"%s\", \"cpuMicrosPerCheck\": %.3f, \"shareOfGrantCpu\": %.5f, \"checksInPath\": %d, "
						+ "\"wallMicrosPerCheckInPath\": { \"mean\": %.2f, \"p50\": %.2f, \"p99\": %.1f, \"max\": %.1f } }",
				this.store, finite(this.cpuMicrosPerCheck), finite(this.shareOfGrantCpu), this.checks,
				this.wallMicrosPerCheck, finite(this.p50WallMicros), finite(this.p99WallMicros), this.maxWallMicros);
	}

	private static double finite(double value) {
		return Double.isFinite(value) ? value : 0;
	}

}
