package dev.tongxing.server.crypto;

/**
 * Protects personal data at rest (phone numbers, openids, unionids, nicknames, avatars, complaint texts):
 * values are sealed with AES-GCM under a data key from a key provider, and looked up by a keyed hash, never
 * stored in clear. Sealed values name their key, so keys rotate without re-encrypting everything at once.
 */
public interface PersonalDataCipher {

	/** @return the sealed value (safe to store; different every time), or null for null */
	String seal(String plaintext);

	/** @return the value {@link #seal} was given, or null for null */
	String open(String sealed);

	/**
	 * A keyed hash (HMAC) of a value, stable across calls and nodes: what a lookup column holds instead of
	 * the value. {@code purpose} separates the hashes of different kinds of value (e.g. {@code "phone"}).
	 */
	String lookupHash(String purpose, String value);

}
