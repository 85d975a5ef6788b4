package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * OpenID Connect's {@code prompt=login} and {@code max_age} (Core §3.1.2.1): whether the signed-in person must
 * sign in again for this authorization request. The session remembers when the re-authentication was asked for:
 * a sign-in after that satisfies it, so the request that comes back after the sign-in is not sent to sign in once
 * more ({@code max_age=0} included).
 */
final class ReauthenticationRequests {

	static final String REQUESTED_AT = ReauthenticationRequests.class.getName() + ".requested-at";

	private final Clock clock;

	ReauthenticationRequests(Clock clock) {
		this.clock = clock;
	}

	/**
	 * Nobody is signed in, so this request leads to a sign-in: one that asks for {@code prompt=login} or a
	 * {@code max_age} is satisfied by it, or the request coming back after it would be sent to sign in once more.
	 */
	void signInStarts(HttpServletRequest request) {
		String prompt = request.getParameter("prompt");
		boolean login = prompt != null && Arrays.asList(prompt.trim().split(" +")).contains("login");
		if ((login || request.getParameter("max_age") != null) && (prompt == null || !prompt.contains("none"))) {
			request.getSession().setAttribute(REQUESTED_AT, this.clock.instant());
		}
	}

	/** @return whether the person signed in at {@code signedIn} must sign in again for this request */
	boolean mustSignInAgain(HttpServletRequest request, Instant signedIn) {
		String prompt = request.getParameter("prompt");
		boolean login = prompt != null && Arrays.asList(prompt.trim().split(" +")).contains("login");
		String maxAge = request.getParameter("max_age");
		long seconds = maxAge == null ? -1 : AuthorizationRequestRules.maxAge(maxAge);
		Instant now = this.clock.instant();
		boolean tooOld = seconds >= 0 && signedIn.plus(Duration.ofSeconds(seconds)).isBefore(now);
		HttpSession session = request.getSession(false);
		Object requestedAt = session == null ? null : session.getAttribute(REQUESTED_AT);
		if (requestedAt instanceof Instant asked && !signedIn.isBefore(asked)) {
			session.removeAttribute(REQUESTED_AT); // signed in again since it was asked: satisfied
			return false;
		}
		if (!login && !tooOld) {
			return false;
		}
		if (session != null && (prompt == null || !prompt.contains("none"))) {
			session.setAttribute(REQUESTED_AT, now);
		}
		return true;
	}

}
