package dev.tongxing.server.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.Map;

/**
 * What one node counted since its last flush, in memory: no statement runs on the login or token path. The
 * flush swaps in a fresh instance and adds this one to the roll-ups. Every method is called under the
 * recorder's lock (a few map operations, no I/O).
 */
final class PendingCounts {

	/** The dimensions of a login row; strings are never null ({@code -} when unknown). */
	record Dims(Instant hour, String method, String app, String client, String platform) {
	}

	record Cause(Dims dims, String cause) {
	}

	record Bin(Dims dims, int bin) {
	}

	record Step(Instant hour, String client, String platform, String step) {
	}

	/** A person's sign-in on a day, by pseudonymous id. */
	record Seen(String pid, LocalDate day, String method) {
	}

	static final class Tally {

		long attempts;

		long successes;

	}

	final Map<Dims, Tally> logins = new HashMap<>();

	final Map<Cause, Long> causes = new HashMap<>();

	final Map<Bin, Long> latency = new HashMap<>();

	final Map<Step, Long> funnel = new HashMap<>();

	/** Keyed by pid and day: the first method that day counts. */
	final Map<String, Seen> seen = new HashMap<>();

	record Sms(Instant hour, String provider) {
	}

	final Map<Sms, Long> sms = new HashMap<>();

	boolean isEmpty() {
		return this.logins.isEmpty() && this.funnel.isEmpty() && this.seen.isEmpty() && this.sms.isEmpty();
	}

}
