package dev.tongxing.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests: plain ones to look up high-entropy values (tokens, codes, states), keyed ones (HMAC) for guessable ones. */
public final class Digests {

	private Digests() {
	}

	public static String sha256Hex(String value) {
		return HexFormat.of().formatHex(sha256(value));
	}

	public static byte[] sha256(String value) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is always available", ex);
		}
	}

	/** HMAC-SHA256 under a secret key: a lookup hash that nobody without the key can recompute. */
	public static String hmacSha256Hex(byte[] key, String value) {
		try {
			javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
			mac.init(new javax.crypto.spec.SecretKeySpec(key, "HmacSHA256"));
			return HexFormat.of().formatHex(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
		}
		catch (java.security.GeneralSecurityException ex) {
			throw new IllegalStateException("HMAC-SHA256 is always available", ex);
		}
	}

}
