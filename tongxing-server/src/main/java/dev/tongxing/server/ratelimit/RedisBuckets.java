package dev.tongxing.server.ratelimit;

import dev.tongxing.server.ops.DependencyIncidents;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.NopeOptimizationListener;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.distributed.proxy.optimization.manual.ManuallySyncingOptimization;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token buckets on Redis (Bucket4j's Lettuce integration, compare-and-swap), shared by every node. While
 * Redis cannot be reached each request is decided by this node's own buckets (or refused, if so
 * configured) without waiting for Redis again: a watcher pings it once a second and switches back when it
 * answers. Going down and coming back are logged, counted and an incident ({@code rate-limits-redis}).
 */
public final class RedisBuckets implements Buckets, AutoCloseable {

	/** The component named in incidents and metrics. */
	static final String COMPONENT = "rate-limits-redis";

	private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);

	/** How long a node's share may go unreported to Redis at most. */
	static final Duration SYNC_INTERVAL = Duration.ofMillis(100);

	/**
	 * One bucket as this node sees it. With a local share ({@code localTokens > 0}) requests are decided on the
	 * node's copy of the bucket and reported to Redis in the background (Bucket4j's manually syncing
	 * optimization): a request thread never waits for Redis, and requests keep being decided while a report is
	 * under way. Without one every request asks Redis (batched while one is in flight).
	 */
	private record Entry(RequestLimit limit, BucketProxy bucket, long localTokens, AtomicLong unreported,
			AtomicBoolean reporting) {

		boolean reportsLater() {
			return this.localTokens > 0;
		}
	}

	private final RedisClient client;

	private final RateLimitProperties properties;

	private final LocalBuckets fallback;

	private final TimeMeter time;

	private final DependencyIncidents incidents;

	private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();

	private final AtomicBoolean up = new AtomicBoolean(false);

	private final Counter fallbacks;

	/** Reports the local shares to Redis, off the request path. */
	private final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread thread = new Thread(r, "rate-limits-redis-reporter");
		thread.setDaemon(true);
		return thread;
	});

	/** Reports in a row that timed out; reset by one that arrives. */
	private final AtomicLong lateReports = new AtomicLong();

	private static final int LATE_REPORTS_FOR_AN_OUTAGE = 3;

	private final ScheduledExecutorService watcher = Executors.newSingleThreadScheduledExecutor(r -> {
		Thread thread = new Thread(r, "rate-limits-redis-watcher");
		thread.setDaemon(true);
		return thread;
	});

	private volatile StatefulRedisConnection<String, byte[]> connection;

	private volatile ProxyManager<String> proxies;

	/** Whether the incident of the current outage has been opened (by the watcher, off the request path). */
	private volatile boolean incidentOpen;

	public RedisBuckets(RedisURI uri, RateLimitProperties properties, DependencyIncidents incidents,
			MeterRegistry meters, TimeMeter time) {
		this.properties = properties;
		this.time = time;
		this.fallback = new LocalBuckets(time);
		this.incidents = incidents;
		this.client = RedisClient.create(uri);
		this.client.setOptions(ClientOptions.builder()
			.autoReconnect(true)
			// fail at once while disconnected rather than queue: the fallback decides meanwhile
			.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
			.timeoutOptions(TimeoutOptions.enabled(properties.redisTimeout()))
			.build());
		this.fallbacks = Counter.builder("tongxing_rate_limit_fallbacks")
			.description("Times the rate limits fell back to per-node enforcement because Redis was unreachable")
			.register(meters);
		Gauge.builder("tongxing_rate_limit_shared", this, b -> b.shared() ? 1 : 0)
			.description("1 while rate limits are shared by all nodes on Redis, 0 while each node enforces its own")
			.register(meters);
		if (connect()) {
			this.up.set(true);
		}
		else {
			this.fallbacks.increment();
			log.warn("Redis for rate limits is unreachable at start-up: each node enforces the limits on its own "
					+ "until it answers");
		}
		this.watcher.scheduleWithFixedDelay(this::watch, 1, 1, TimeUnit.SECONDS);
		this.reporter.scheduleWithFixedDelay(this::reportAll, SYNC_INTERVAL.toMillis(), SYNC_INTERVAL.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private boolean connect() {
		try {
			if (this.connection == null) {
				this.connection = this.client.connect(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE));
				this.proxies = Bucket4jLettuce.casBasedBuilder(this.connection)
					.clientClock(this.time)
					.expirationAfterWrite(ExpirationAfterWriteStrategy
						.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
					.build();
			}
			this.connection.sync().ping();
			return true;
		}
		catch (RuntimeException e) {
			return false;
		}
	}

	@Override
	public Take take(String key, RequestLimit limit) {
		if (this.up.get()) {
			try {
				Entry entry = entry(key, limit);
				ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
				taken(entry, probe);
				return new Take(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(), false);
			}
			catch (RuntimeException e) {
				wentDown(e);
			}
		}
		return this.properties.redisUnavailable() == RateLimitProperties.RedisUnavailable.REFUSE ? Take.UNAVAILABLE
				: this.fallback.take(key, limit);
	}

	@Override
	public boolean hasRoom(String key, RequestLimit limit) {
		if (this.up.get()) {
			try {
				return entry(key, limit).bucket().getAvailableTokens() > 0;
			}
			catch (RuntimeException e) {
				wentDown(e);
			}
		}
		return this.properties.redisUnavailable() != RateLimitProperties.RedisUnavailable.REFUSE
				&& this.fallback.hasRoom(key, limit);
	}

	@Override
	public Take takeLeaving(String key, RequestLimit limit, long keep) {
		if (this.up.get()) {
			try {
				Entry entry = entry(key, limit);
				long available = entry.bucket().getAvailableTokens();
				if (available <= keep) {
					return new Take(false, Math.max(0, available),
							LocalBuckets.nanosFor(limit, keep + 1 - Math.max(0, available)), false);
				}
				ConsumptionProbe probe = entry.bucket().tryConsumeAndReturnRemaining(1);
				taken(entry, probe);
				return new Take(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(), false);
			}
			catch (RuntimeException e) {
				wentDown(e);
			}
		}
		return this.properties.redisUnavailable() == RateLimitProperties.RedisUnavailable.REFUSE ? Take.UNAVAILABLE
				: this.fallback.takeLeaving(key, limit, keep);
	}

	private Entry entry(String key, RequestLimit limit) {
		Entry entry = this.buckets.get(key);
		if (entry == null || !entry.limit().equals(limit)) {
			entry = this.buckets.compute(key, (k, old) -> {
				if (old != null && old.limit().equals(limit)) {
					return old;
				}
				long localTokens = this.properties.localTokens(limit);
				return new Entry(limit, proxy(k, limit, localTokens), localTokens, new AtomicLong(),
						new AtomicBoolean());
			});
		}
		return entry;
	}

	/** A granted request of a local share: once half the share is used, report it without waiting for the tick. */
	private void taken(Entry entry, ConsumptionProbe probe) {
		if (entry.reportsLater() && probe.isConsumed()
				&& entry.unreported().incrementAndGet() * 2 >= entry.localTokens()) {
			report(entry);
		}
	}

	private void report(Entry entry) {
		if (!entry.reporting().compareAndSet(false, true)) {
			return;
		}
		try {
			this.reporter.execute(() -> {
				try {
					entry.unreported().set(0);
					entry.bucket().getOptimizationController().syncImmediately();
					this.lateReports.set(0);
				}
				catch (RedisCommandTimeoutException late) {
					// nobody waits for a report: one that is late on a busy machine is no outage, several in a row are
					if (this.lateReports.incrementAndGet() >= LATE_REPORTS_FOR_AN_OUTAGE) {
						wentDown(late);
					}
				}
				catch (RuntimeException e) {
					wentDown(e);
				}
				finally {
					entry.reporting().set(false);
				}
			});
		}
		catch (java.util.concurrent.RejectedExecutionException closed) {
			entry.reporting().set(false);
		}
	}

	/** Every {@link #SYNC_INTERVAL}: what each local share granted since its last report goes to Redis. */
	private void reportAll() {
		if (!this.up.get()) {
			return;
		}
		for (Entry entry : this.buckets.values()) {
			if (entry.reportsLater() && entry.unreported().get() > 0) {
				report(entry);
			}
		}
	}

	private BucketProxy proxy(String key, RequestLimit limit, long localTokens) {
		RemoteBucketBuilder<String> builder = this.proxies.builder();
		builder = localTokens > 0
				? builder.withOptimization(new ManuallySyncingOptimization(NopeOptimizationListener.INSTANCE, this.time))
				: builder.withOptimization(Optimizations.batching());
		// the limit is part of the key: a changed limit starts a fresh bucket, the old one expires
		return builder.build(this.properties.redisKeyPrefix() + ":" + key + ":" + limit.perPeriod() + "/"
				+ limit.period().toMillis() + "ms/" + limit.burst(), () -> LocalBuckets.configuration(limit));
	}

	private void wentDown(RuntimeException e) {
		if (this.up.compareAndSet(true, false)) {
			this.fallbacks.increment();
			log.warn("Redis for rate limits is unreachable ({}): {} until it answers again", e.toString(),
					this.properties.redisUnavailable() == RateLimitProperties.RedisUnavailable.REFUSE
							? "refusing the limited requests" : "each node enforces the limits on its own");
		}
	}

	/** Once a second: opens the outage's incident, and switches back once Redis answers. */
	private void watch() {
		try {
			if (this.up.get()) {
				if (this.incidentOpen) {
					this.incidentOpen = false;
					this.incidents.resolve(COMPONENT);
				}
				return;
			}
			if (!this.incidentOpen) {
				this.incidentOpen = true;
				this.incidents.open(COMPONENT);
			}
			if (connect()) {
				// the buckets on Redis may have been lost with it: they are made again on first use
				this.buckets.clear();
				this.fallback.clear();
				this.up.set(true);
				log.info("Redis for rate limits answers again: the limits are shared by all nodes again");
			}
		}
		catch (RuntimeException e) {
			log.warn("Rate-limit Redis watcher: {}", e.toString());
		}
	}

	@Override
	public boolean shared() {
		return this.up.get();
	}

	@Override
	public void close() {
		this.watcher.shutdownNow();
		this.reporter.shutdownNow();
		StatefulRedisConnection<String, byte[]> open = this.connection;
		if (open != null) {
			open.close();
		}
		this.client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
	}

}
