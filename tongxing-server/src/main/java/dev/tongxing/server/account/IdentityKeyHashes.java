package dev.tongxing.server.account;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.crypto.PersonalDataCipher;

/**
 * The keyed hashes that stand for identity keys in the account tables: the lookup column of
 * {@code account_identity} and the short hint in {@code account_link_event}. Keyed (HMAC), because keys such
 * as phone numbers are easily guessed: an unkeyed hash of one is no protection.
 */
final class IdentityKeyHashes {

	/** Length of a link-event hint: enough to tell an identity's events apart, too short to be a lookup key. */
	static final int HINT_LENGTH = 16;

	private IdentityKeyHashes() {
	}

	/** What {@code account_identity.provider_key_hash} holds: the lookup hash, one purpose per namespace. */
	static String lookup(PersonalDataCipher cipher, IdentityKey key) {
		return cipher.lookupHash(key.provider(), key.key());
	}

	static String hint(PersonalDataCipher cipher, IdentityKey key) {
		return cipher.lookupHash("account-link-hint", key.provider() + ":" + key.key()).substring(0, HINT_LENGTH);
	}

}
