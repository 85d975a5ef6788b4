package dev.tongxing.server.ops;

import java.time.Clock;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * Token responses this node issued in each of the last 60 minutes (a ring of minute slots, counted by
 * {@link TokensIssuedFilter} beside the {@code tongxing.tokens.issued} meter): the console's issuance rate. Per
 * node, in memory: other nodes' tokens are not in it, and a restart starts from nothing.
 */
@Component
class TokenIssuance {

	static final int MINUTES = 60;

	private final Clock clock;

	private final Instant started;

	private final long[] minutes = new long[MINUTES];

	private final long[] counts = new long[MINUTES];

	TokenIssuance(Clock clock) {
		this.clock = clock;
		this.started = clock.instant();
	}

	synchronized void issued() {
		long minute = this.clock.instant().getEpochSecond() / 60;
		int slot = (int) Math.floorMod(minute, (long) MINUTES);
		if (this.minutes[slot] != minute) {
			this.minutes[slot] = minute;
			this.counts[slot] = 0;
		}
		this.counts[slot]++;
	}

	/** Tokens issued in the current minute and the {@code last - 1} before it (1 ≤ last ≤ 60). */
	synchronized long inLastMinutes(int last) {
		long now = this.clock.instant().getEpochSecond() / 60;
		long sum = 0;
		for (int i = 0; i < MINUTES; i++) {
			if (this.minutes[i] > now - last && this.minutes[i] <= now) {
				sum += this.counts[i];
			}
		}
		return sum;
	}

	/** When this node started counting. */
	Instant started() {
		return this.started;
	}

}
