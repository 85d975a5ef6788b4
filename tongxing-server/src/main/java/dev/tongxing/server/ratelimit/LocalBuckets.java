package dev.tongxing.server.ratelimit;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token buckets in this node's memory (Bucket4j's lock-free buckets, one per key, no global lock): every
 * node enforces each limit on its own.
 */
public final class LocalBuckets implements Buckets {

	private record Entry(RequestLimit limit, Bucket bucket) {
	}

	private final ConcurrentHashMap<String, Entry> buckets = new ConcurrentHashMap<>();

	private final TimeMeter time;

	public LocalBuckets(TimeMeter time) {
		this.time = time;
	}

	@Override
	public Take take(String key, RequestLimit limit) {
		ConsumptionProbe probe = bucket(key, limit).tryConsumeAndReturnRemaining(1);
		return new Take(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(), false);
	}

	@Override
	public boolean hasRoom(String key, RequestLimit limit) {
		return bucket(key, limit).getAvailableTokens() > 0;
	}

	@Override
	public Take takeLeaving(String key, RequestLimit limit, long keep) {
		Bucket bucket = bucket(key, limit);
		long available = bucket.getAvailableTokens();
		if (available <= keep) {
			return new Take(false, Math.max(0, available), nanosFor(limit, keep + 1 - Math.max(0, available)), false);
		}
		ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
		return new Take(probe.isConsumed(), probe.getRemainingTokens(), probe.getNanosToWaitForRefill(), false);
	}

	/** How long the bucket takes to refill so many requests. */
	static long nanosFor(RequestLimit limit, long requests) {
		return Math.max(1, limit.period().toNanos() / limit.perPeriod() * requests);
	}

	private Bucket bucket(String key, RequestLimit limit) {
		Entry entry = this.buckets.get(key);
		if (entry == null || !entry.limit().equals(limit)) {
			// a changed limit (client re-imported with another one) starts a fresh bucket
			entry = this.buckets.compute(key, (k, old) -> old != null && old.limit().equals(limit) ? old
					: new Entry(limit, Bucket.builder().withCustomTimePrecision(this.time).addLimit(bandwidth(limit)).build()));
		}
		return entry.bucket();
	}

	@Override
	public boolean shared() {
		return false;
	}

	static Bandwidth bandwidth(RequestLimit limit) {
		// greedy refill: tokens come back continuously, not once a second in a lump
		return Bandwidth.builder().capacity(limit.burst()).refillGreedy(limit.perPeriod(), limit.period())
			.initialTokens(limit.burst()).build();
	}

	static BucketConfiguration configuration(RequestLimit limit) {
		return BucketConfiguration.builder().addLimit(bandwidth(limit)).build();
	}

	/** Forgets every bucket (tests). */
	void clear() {
		this.buckets.clear();
	}

}
