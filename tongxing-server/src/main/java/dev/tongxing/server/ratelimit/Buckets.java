package dev.tongxing.server.ratelimit;

/** Where token buckets live: in this node's memory, or on Redis for the whole cluster. */
public interface Buckets {

	/**
	 * Takes one request out of the bucket with this key, made with this limit if it does not exist yet.
	 */
	Take take(String key, RequestLimit limit);

	/** Whether the bucket with this key has a request left, without taking it. */
	boolean hasRoom(String key, RequestLimit limit);

	/**
	 * Takes one request only if more than {@code keep} would still be left for others: how a call that can wait
	 * its turn gives way to those that cannot. Checked, then taken: under contention a few more may get through.
	 */
	Take takeLeaving(String key, RequestLimit limit, long keep);

	/** Whether the limits are shared by every node right now. */
	boolean shared();

	/**
	 * @param allowed whether the request may go on
	 * @param remaining requests left in the bucket after this one
	 * @param nanosToWait when refused, how long until one request is back in the bucket
	 * @param unavailable refused because the shared store is unreachable (not the client's doing)
	 */
	record Take(boolean allowed, long remaining, long nanosToWait, boolean unavailable) {

		static final Take UNAVAILABLE = new Take(false, 0, 1_000_000_000L, true);

	}

}
