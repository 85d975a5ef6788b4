package dev.tongxing.server.login;

import dev.tongxing.server.crypto.Digests;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpSession;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * A random value kept in the browser's session (which lives in the database), whose hash is stored with each
 * pending login: a callback only counts in the browser that began the login, so nobody can make a victim's
 * browser finish the attacker's login (login CSRF), whichever node serves it.
 */
final class BrowserBinding {

	static final String ATTRIBUTE = "tongxing.login.binding";

	/**
	 * Where earlier releases kept a browser's binding, one per connector: logins they began and the pending
	 * logins migration carried over still finish. Only read, never written.
	 */
	private static final List<String> EARLIER_ATTRIBUTES = List.of("tongxing.wechat.binding",
			"dev.tongxing.server.connector.oidc.BrowserBinding");

	private static final SecureRandom RANDOM = new SecureRandom();

	private BrowserBinding() {
	}

	/** The hash of this browser's binding, the binding created with the session if need be. */
	static String establish(HttpServletRequest request) {
		HttpSession session = request.getSession();
		if (!(session.getAttribute(ATTRIBUTE) instanceof String)) {
			byte[] bytes = new byte[32];
			RANDOM.nextBytes(bytes);
			session.setAttribute(ATTRIBUTE, Base64.getUrlEncoder().withoutPadding().encodeToString(bytes));
		}
		return Digests.sha256Hex((String) session.getAttribute(ATTRIBUTE));
	}

	/** Whether this browser holds the binding whose hash is {@code storedHash}. */
	static boolean holds(HttpServletRequest request, String storedHash) {
		HttpSession session = request.getSession(false);
		if (session == null || storedHash == null) {
			return false;
		}
		byte[] stored = storedHash.getBytes(StandardCharsets.US_ASCII);
		boolean held = false;
		for (String attribute : concat(ATTRIBUTE, EARLIER_ATTRIBUTES)) {
			if (session.getAttribute(attribute) instanceof String binding) {
				held |= MessageDigest.isEqual(stored, Digests.sha256Hex(binding).getBytes(StandardCharsets.US_ASCII));
			}
		}
		return held;
	}

	private static List<String> concat(String first, List<String> rest) {
		List<String> all = new java.util.ArrayList<>(rest.size() + 1);
		all.add(first);
		all.addAll(rest);
		return all;
	}

}
