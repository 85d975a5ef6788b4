package dev.tongxing.server.crypto;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.pii.*}: the keys that seal personal data at rest. All optional: with none set, the keys are
 * derived (HKDF-SHA256) from the master keys ({@code tongxing.keys.*}), one data key {@code mk-<id>} per master
 * key, so rotating the master key also rotates the data key.
 *
 * @param dataKeys data keys by id: 32 random bytes in Base64 each ({@code openssl rand -base64 32}); ids of
 * 1–64 letters, digits, {@code . _ -}, not starting with {@code mk-}
 * @param currentKeyId the data key new values are sealed under (default {@code mk-<tongxing.keys.master-key-id>})
 * @param lookupHashKey the key of the lookup hashes, 32 or more random bytes in Base64; unlike data keys it
 * cannot rotate without recomputing every hash, so set it once (default: derived from a master key)
 * @param lookupHashMasterKeyId which master key the lookup-hash key is derived from when none is set (default
 * the current master key): after a master-key rotation, set it to the old key's id (kept under
 * {@code tongxing.keys.retired-master-keys}) so lookups keep working
 * @param rekeyBatchSize rows read per batch by {@code pii rekey}
 */
@ConfigurationProperties("tongxing.pii")
public record PiiProperties(@DefaultValue Map<String, String> dataKeys, String currentKeyId, String lookupHashKey,
		String lookupHashMasterKeyId, @DefaultValue("500") int rekeyBatchSize) {

	/** The id prefix of data keys derived from a master key. */
	public static final String DERIVED_PREFIX = "mk-";

}
