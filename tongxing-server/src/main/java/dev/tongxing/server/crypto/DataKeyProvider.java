package dev.tongxing.server.crypto;

import java.util.Set;
import javax.crypto.SecretKey;

/**
 * Where the keys for personal data come from: AES-256 data keys by id (the current one seals, every one
 * still configured opens) and the separate key of the lookup hashes. An implementation may read them from
 * configuration (as {@link ConfiguredDataKeyProvider} does) or from a key management service.
 */
public interface DataKeyProvider {

	/** The id of the key new values are sealed under. */
	String currentKeyId();

	/**
	 * @return the AES-256 key with this id
	 * @throws UnknownDataKeyException when no such key is configured (any more)
	 */
	SecretKey key(String keyId);

	/** Every key id that can open values. */
	Set<String> keyIds();

	/** The HMAC-SHA256 key of {@link PersonalDataCipher#lookupHash}; never used to seal. */
	SecretKey lookupHashKey();

	/** A value was sealed under a key that is not configured. */
	final class UnknownDataKeyException extends IllegalStateException {

		public UnknownDataKeyException(String keyId) {
			super("Personal data is sealed under data key '" + keyId + "', which is not configured "
					+ "(tongxing.pii.data-keys, or the master key it was derived from)");
		}

	}

}
