package dev.tongxing.server.analytics;

import java.util.Map;
import java.util.SortedMap;

/**
 * Time to sign in as a log-scale histogram: bin {@code b} holds durations in [1.05^b, 1.05^(b+1)) ms, so a
 * percentile read from it is off by at most 5 %, whatever the number of samples, and bins add up across
 * hours and nodes.
 */
final class LatencyBins {

	static final double BASE = 1.05;

	private LatencyBins() {
	}

	static int bin(long millis) {
		return (int) Math.floor(Math.log(Math.max(1, millis)) / Math.log(BASE));
	}

	/** The lower edge of a bin, in whole milliseconds. */
	static long lower(int bin) {
		return Math.round(Math.pow(BASE, bin));
	}

	/**
	 * The lower edge of the bin holding the {@code q}-th quantile (nearest rank); null without samples.
	 * @param bins bin → samples, in bin order
	 */
	static Long quantile(SortedMap<Integer, Long> bins, double q) {
		long total = bins.values().stream().mapToLong(Long::longValue).sum();
		if (total == 0) {
			return null;
		}
		long rank = Math.max(1, (long) Math.ceil(q * total));
		long seen = 0;
		for (Map.Entry<Integer, Long> e : bins.entrySet()) {
			seen += e.getValue();
			if (seen >= rank) {
				return lower(e.getKey());
			}
		}
		throw new IllegalStateException("unreachable");
	}

}
