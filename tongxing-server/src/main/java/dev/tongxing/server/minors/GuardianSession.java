package dev.tongxing.server.minors;

import jakarta.servlet.http.HttpSession;
import java.util.Optional;

/**
 * The guardian signed in to their dashboard in this browser session, as {@code guardian:<keyed digest of the
 * phone>}: the same actor their consent records name. Pages of other packages shown to guardians read it here.
 */
public final class GuardianSession {

	/** The session attribute; a guardian is never a signed-in person, only this. */
	public static final String ATTRIBUTE = "tongxing.guardian.actor";

	private GuardianSession() {
	}

	public static Optional<String> of(HttpSession session) {
		return session == null ? Optional.empty() : Optional.ofNullable((String) session.getAttribute(ATTRIBUTE));
	}

}
