package dev.tongxing.server.ratelimit;

import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;

/**
 * Sign-in attempts of a way in that has no code of its own to count (a passkey's challenge and assertion), per
 * client address: a flood of ceremonies from one place is cut off, whatever it aims at. Optional: without it
 * such attempts are not limited.
 */
public interface SignInAttempts {

	/** @return null if this attempt of {@code method} may go on, else when attempts from its address may again */
	Instant beforeAttempt(String method, HttpServletRequest request);

}
