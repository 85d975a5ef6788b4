package dev.tongxing.server.connector.phone;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Sliding-window send limits: at most so many sends in any minute and in any day. */
final class SendLimits {

	static final Duration MINUTE = Duration.ofMinutes(1);

	static final Duration DAY = Duration.ofDays(1);

	private SendLimits() {
	}

	/**
	 * @param recentSends the times of earlier sends in the last day, newest first
	 * @return when the next send is allowed, or empty if it is allowed now
	 */
	static Optional<Instant> retryAt(List<Instant> recentSends, Instant now, PhoneProperties.Limit limit) {
		Instant minute = windowRetry(recentSends, now, MINUTE, limit.perMinute());
		Instant day = windowRetry(recentSends, now, DAY, limit.perDay());
		return later(Optional.ofNullable(minute), Optional.ofNullable(day));
	}

	private static Instant windowRetry(List<Instant> sends, Instant now, Duration window, int max) {
		List<Instant> inWindow = sends.stream().filter(sent -> sent.isAfter(now.minus(window))).toList();
		if (inWindow.size() < max) {
			return null;
		}
		// the max-th newest send has to leave the window before there is room again
		return inWindow.get(max - 1).plus(window);
	}

	/** The later of two optional instants. */
	static Optional<Instant> later(Optional<Instant> a, Optional<Instant> b) {
		if (a.isEmpty()) {
			return b;
		}
		if (b.isEmpty()) {
			return a;
		}
		return Optional.of(a.get().isAfter(b.get()) ? a.get() : b.get());
	}

}
