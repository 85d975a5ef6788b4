package dev.tongxing.server.connector.phone;

import dev.tongxing.server.ratelimit.PhoneAbuseGuard;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import org.springframework.http.ResponseCookie;

/**
 * Gives a browser that shows a phone page its own random id ({@link PhoneAbuseGuard#DEVICE_COOKIE}), which the
 * send limits count by. It is a random number in a cookie, linked to nothing on the server.
 */
final class DeviceCookie {

	private static final SecureRandom RANDOM = new SecureRandom();

	private DeviceCookie() {
	}

	static void ensure(HttpServletRequest request, HttpServletResponse response) {
		if (request.getCookies() != null) {
			for (jakarta.servlet.http.Cookie cookie : request.getCookies()) {
				if (PhoneAbuseGuard.DEVICE_COOKIE.equals(cookie.getName())) {
					return;
				}
			}
		}
		byte[] id = new byte[16];
		RANDOM.nextBytes(id);
		response.addHeader("Set-Cookie", ResponseCookie
			.from(PhoneAbuseGuard.DEVICE_COOKIE, Base64.getUrlEncoder().withoutPadding().encodeToString(id))
			.httpOnly(true)
			.secure(request.isSecure())
			.sameSite("Lax")
			.path("/")
			.maxAge(Duration.ofDays(365))
			.build()
			.toString());
	}

}
