package dev.tongxing.server.complaint;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;

/**
 * Ticket numbers people can read out on the phone ({@code TX-2026-7KQ4-M9XD}: 40 random bits in Crockford
 * base 32, no I, L, O or U), and the follow link's secret (256 random bits; only its digest is stored).
 */
final class TicketNumbers {

	static final String PATTERN = "TX-[0-9]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}";

	private static final char[] CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

	private static final SecureRandom RANDOM = new SecureRandom();

	private TicketNumbers() {
	}

	static String next(Instant now) {
		StringBuilder number = new StringBuilder("TX-").append(now.atOffset(ZoneOffset.UTC).getYear()).append('-');
		for (int i = 0; i < 8; i++) {
			if (i == 4) {
				number.append('-');
			}
			number.append(CROCKFORD[RANDOM.nextInt(CROCKFORD.length)]);
		}
		return number.toString();
	}

	/** Accepts what people type: lower case, and the look-alikes Crockford maps (O→0, I/L→1). */
	static String normalise(String typed) {
		if (typed == null || typed.length() > 30) {
			return null;
		}
		String upper = typed.strip().toUpperCase(java.util.Locale.ROOT);
		StringBuilder out = new StringBuilder(upper.length());
		for (int i = 0; i < upper.length(); i++) {
			char c = upper.charAt(i);
			out.append(i >= 8 ? switch (c) {
				case 'O' -> '0';
				case 'I', 'L' -> '1';
				default -> c;
			} : c);
		}
		String number = out.toString();
		return number.matches(PATTERN) ? number : null;
	}

	static String accessKey() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
