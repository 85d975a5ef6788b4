package dev.tongxing.server.connector.oidc;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * A random value kept in the browser's session (which lives in the database) and stored with each pending
 * login: a callback only counts in the browser that began the login, so nobody can make a victim's browser
 * finish the attacker's login (login CSRF), whichever node serves it.
 */
final class BrowserBinding {

	private static final String ATTRIBUTE = BrowserBinding.class.getName();

	private static final SecureRandom RANDOM = new SecureRandom();

	private BrowserBinding() {
	}

	/** This browser's binding, created with the session if need be. */
	static String establish(HttpServletRequest request) {
		HttpSession session = request.getSession();
		if (session.getAttribute(ATTRIBUTE) instanceof String binding) {
			return binding;
		}
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		String binding = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
		session.setAttribute(ATTRIBUTE, binding);
		return binding;
	}

	/** @return this browser's binding, or {@code null} if it never began an upstream login */
	static String current(HttpServletRequest request) {
		HttpSession session = request.getSession(false);
		return session != null && session.getAttribute(ATTRIBUTE) instanceof String binding ? binding : null;
	}

}
