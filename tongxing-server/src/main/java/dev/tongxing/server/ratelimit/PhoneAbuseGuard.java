package dev.tongxing.server.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * Limits on people, beside the send limits kept with the codes: asked before a code is sent and before a
 * typed code is checked (e.g. a challenge after many sends, a cap on tries per number). Optional: without
 * one, only the send limits and the tries per code apply.
 */
public interface PhoneAbuseGuard {

	/**
	 * The browser's own random id (a cookie the phone pages set, no server state): sends are counted by it too,
	 * so an attacker who rotates addresses but keeps one browser still meets the challenge.
	 */
	String DEVICE_COOKIE = "tx_device";

	/** Before a code goes to {@code e164} for this request. */
	Verdict beforeSend(String e164, HttpServletRequest request);

	/** @return null if a code typed for {@code e164} may be checked now, else when it may be again */
	Instant beforeVerify(String e164, HttpServletRequest request);

	/**
	 * Whether the last refusal of {@link #beforeVerify} was for the client address (too many checks from one
	 * place, over all numbers) rather than for the number; the person reads a different reason.
	 */
	static boolean refusedForAddress(HttpServletRequest request) {
		return Boolean.TRUE.equals(request.getAttribute(ADDRESS_REFUSAL));
	}

	/** The request attribute that says a verification was refused for its address. */
	String ADDRESS_REFUSAL = PhoneAbuseGuard.class.getName() + ".addressRefusal";

	sealed interface Verdict {
	}

	/** Go on and send. */
	record Go() implements Verdict {
	}

	/**
	 * A challenge must be passed first; the page shows it (see the README's page hooks).
	 *
	 * @param kind {@code pow} (the page solves {@code challenge} itself), or a captcha provider's name
	 * @param challenge what the page needs to show or solve it
	 * @param difficulty for {@code pow}: leading zero bits the solution's SHA-256 must have
	 * @param widget for a captcha: what its browser widget needs ({@code script}, the provider's script, loaded
	 * only on this page; {@code app-id}, {@code scene-id}, {@code prefix}, {@code region}), and {@code csp}, the
	 * sources the page's Content-Security-Policy must allow for it
	 * @param unavailable the answer just given could not be checked (the provider did not answer)
	 */
	record Challenge(String kind, String challenge, int difficulty, java.util.Map<String, String> widget,
			boolean unavailable) implements Verdict {

		public Challenge {
			widget = java.util.Map.copyOf(widget);
		}

		public Challenge(String kind, String challenge, int difficulty) {
			this(kind, challenge, difficulty, java.util.Map.of(), false);
		}

	}

}
