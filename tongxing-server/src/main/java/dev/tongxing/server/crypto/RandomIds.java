package dev.tongxing.server.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Unguessable ids (token {@code jti}s, audit staging ids) without one JDK-wide lock: {@code UUID.randomUUID()}
 * draws from a single shared {@code SecureRandom}, whose lock every token request queued on under load
 * (issue 10's thread dumps). Here each thread draws from one of several independently seeded generators,
 * picked by thread id, so threads rarely meet and a meeting costs a few hundred nanoseconds.
 */
public final class RandomIds {

	private static final int STRIPES = Integer.highestOneBit(Math.max(4, Runtime.getRuntime().availableProcessors() * 4)) * 2;

	private static final SecureRandom[] GENERATORS = new SecureRandom[STRIPES];

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	static {
		for (int i = 0; i < STRIPES; i++) {
			GENERATORS[i] = new SecureRandom(); // each seeds itself from the system's entropy
		}
	}

	private RandomIds() {
	}

	/** 128 random bits, base64url: 22 characters. */
	public static String next() {
		return BASE64URL.encodeToString(bytes(16));
	}

	/** {@code n} random bytes. */
	public static byte[] bytes(int n) {
		byte[] out = new byte[n];
		SecureRandom generator = GENERATORS[(int) (Thread.currentThread().threadId() & (STRIPES - 1))];
		generator.nextBytes(out);
		return out;
	}

}
