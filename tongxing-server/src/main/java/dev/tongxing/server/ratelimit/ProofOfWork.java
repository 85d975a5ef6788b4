package dev.tongxing.server.ratelimit;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A self-hosted proof-of-work challenge (hashcash with SHA-256): no third party, works offline. The
 * challenge is stateless and signed (HMAC under a key all nodes derive from the master key), so any node
 * checks what another issued; it names its expiry and difficulty and is bound to one number and address.
 * A solution is a decimal number {@code n} such that SHA-256({@code challenge + ":" + n}) starts with
 * {@code difficulty} zero bits. Not a cryptographic protocol: it only makes each send cost the sender work.
 */
final class ProofOfWork {

	private static final SecureRandom RANDOM = new SecureRandom();

	private final SecretKeySpec key;

	private final Clock clock;

	private final int difficulty;

	private final Duration ttl;

	ProofOfWork(byte[] key, Clock clock, int difficulty, Duration ttl) {
		this.key = new SecretKeySpec(key, "HmacSHA256");
		this.clock = clock;
		this.difficulty = difficulty;
		this.ttl = ttl;
	}

	int difficulty() {
		return this.difficulty;
	}

	/** @param binding what the solved challenge may be used for (a digest of number and address) */
	String issue(String binding) {
		byte[] nonce = new byte[16];
		RANDOM.nextBytes(nonce);
		String body = "1." + this.clock.instant().plus(this.ttl).getEpochSecond() + "." + this.difficulty + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(nonce);
		return body + "." + mac(body, binding);
	}

	boolean solved(String challenge, String solution, String binding) {
		if (challenge == null || solution == null || challenge.length() > 200 || !solution.matches("[0-9]{1,19}")) {
			return false;
		}
		int lastDot = challenge.lastIndexOf('.');
		String[] parts = challenge.split("\\.");
		if (parts.length != 5 || !parts[0].equals("1") || lastDot < 0) {
			return false;
		}
		String body = challenge.substring(0, lastDot);
		if (!MessageDigest.isEqual(mac(body, binding).getBytes(StandardCharsets.US_ASCII),
				parts[4].getBytes(StandardCharsets.US_ASCII))) {
			return false;
		}
		try {
			if (Long.parseLong(parts[1]) < this.clock.instant().getEpochSecond()) {
				return false;
			}
			int bits = Integer.parseInt(parts[2]);
			return bits >= this.difficulty && zeroBits(sha256(challenge + ":" + solution)) >= bits;
		}
		catch (NumberFormatException e) {
			return false;
		}
	}

	/** What a browser does: the first solution (tests and tools). */
	static String solve(String challenge) {
		int bits = Integer.parseInt(challenge.split("\\.")[2]);
		for (long n = 0;; n++) {
			if (zeroBits(sha256(challenge + ":" + n)) >= bits) {
				return Long.toString(n);
			}
		}
	}

	String mac(String body, String binding) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(this.key);
			return Base64.getUrlEncoder().withoutPadding()
				.encodeToString(mac.doFinal((body + "|" + binding).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException e) {
			throw new IllegalStateException(e);
		}
	}

	static int zeroBits(byte[] hash) {
		int count = 0;
		for (byte b : hash) {
			if (b == 0) {
				count += 8;
				continue;
			}
			return count + Integer.numberOfLeadingZeros(b & 0xff) - 24;
		}
		return count;
	}

}
