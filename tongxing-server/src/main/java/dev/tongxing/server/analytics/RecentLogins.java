package dev.tongxing.server.analytics;

import java.time.Instant;
import java.util.List;

/**
 * Logins of the last hours by method, for other packages (the console's overview): read from the hour roll-ups
 * (every node's flushed counts), plus the counts this node holds in memory and has not flushed yet. Other nodes'
 * unflushed counts (at most {@code tongxing.analytics.flush-interval} of them) are not in it.
 */
public interface RecentLogins {

	/**
	 * The logins of whole hours: from the start of the hour {@code hours} hours ago until now (so between
	 * {@code hours} and {@code hours + 1} hours of them), by method, most attempts first.
	 */
	Window lastHours(int hours);

	/** {@code tongxing.analytics.success-target}, a share between 0 and 1. */
	double successTarget();

	/**
	 * @param since the start of the first hour counted
	 * @param methods per method, most attempts first
	 * @param successRate of all methods together; null without attempts
	 */
	record Window(Instant since, Instant until, List<MethodLogins> methods, long attempts, long successes,
			Double successRate) {
	}

	/**
	 * @param successRate 0–1, 4 decimals; null without attempts
	 * @param belowTarget whether the rate is under {@link #successTarget()}
	 */
	record MethodLogins(String method, long attempts, long successes, Double successRate, boolean belowTarget) {
	}

}
