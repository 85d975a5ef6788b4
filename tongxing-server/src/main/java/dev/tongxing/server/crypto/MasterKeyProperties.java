package dev.tongxing.server.crypto;

import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The master key, crypto's own settings under {@code tongxing.keys} (the signing-key settings beside them are
 * the provider's, bound by {@code oidc}).
 *
 * @param masterKey Base64 of 32 random bytes; encrypts private keys and secrets at rest
 * @param masterKeyId the name stored with every ciphertext, so the master key can be rotated
 * @param retiredMasterKeys earlier master keys by id, kept to decrypt what they encrypted
 */
@ConfigurationProperties("tongxing.keys")
public record MasterKeyProperties(String masterKey, @DefaultValue("default") String masterKeyId,
		@DefaultValue Map<String, String> retiredMasterKeys) {

}
