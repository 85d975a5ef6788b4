package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginFailureCause;
import java.time.Instant;
import java.util.List;

/**
 * A public incident: a login method failing more than it should, from when it was noticed until it
 * recovered.
 *
 * @param cause the dominant failure cause when it opened, or null
 * @param resolvedAt null while open
 * @param openedBy what noticed it, and so what may resolve it: {@link #LOGINS} or {@link #PROBES}
 * @param updates its public timeline, oldest first
 */
record Incident(long id, String method, LoginFailureCause cause, Instant openedAt, Instant resolvedAt,
		String openedBy, List<Update> updates) {

	/** Opened by the success rate of real logins ({@link IncidentDetector}). */
	static final String LOGINS = "logins";

	/** Opened by failing availability probes ({@link ProbeIncidents}). */
	static final String PROBES = "probes";

	boolean open() {
		return this.resolvedAt == null;
	}

	Instant lastUpdated() {
		return this.updates.isEmpty() ? this.openedAt : this.updates.getLast().at();
	}

	/**
	 * @param kind {@code opened}, {@code update} (an operator's words, in {@code message}), {@code resolved}
	 */
	record Update(Instant at, String kind, String message) {
	}

}
