package dev.tongxing.server.ratelimit;

import java.time.Duration;

/**
 * A token bucket: refilled with {@code perPeriod} requests each {@code period} (continuously), holding at
 * most {@code burst}.
 */
public record RequestLimit(long perPeriod, long burst, Duration period) {

	private static final Duration SECOND = Duration.ofSeconds(1);

	public RequestLimit {
		if (perPeriod < 1 || burst < 1 || period == null || period.isNegative() || period.isZero()) {
			throw new IllegalArgumentException("a rate limit needs at least one request per period and a burst of one");
		}
	}

	/** So many requests per second. */
	public RequestLimit(long perSecond, long burst) {
		this(perSecond, burst, SECOND);
	}

	/** {@code count} at once, then again {@code count} over each {@code period}. */
	public static RequestLimit per(long count, Duration period) {
		return new RequestLimit(count, count, period);
	}

	/** For {@code RateLimit-Policy}: the window in which {@code burst} requests refill, in whole seconds. */
	long windowSeconds() {
		return Math.max(1, Math.round((double) this.burst * this.period.toMillis() / 1000 / this.perPeriod));
	}

}
