package dev.tongxing.server.ratelimit;

/**
 * A token bucket: refilled with {@code perSecond} requests each second, holding at most {@code burst}.
 */
public record RequestLimit(long perSecond, long burst) {

	public RequestLimit {
		if (perSecond < 1 || burst < 1) {
			throw new IllegalArgumentException("a rate limit needs at least one request per second and a burst of one");
		}
	}

	/** For {@code RateLimit-Policy}: the window in which {@code burst} requests refill, in whole seconds. */
	long windowSeconds() {
		return Math.max(1, Math.round((double) this.burst / this.perSecond));
	}

}
