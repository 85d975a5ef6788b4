package dev.tongxing.server.crypto;

import dev.tongxing.server.oidc.OidcProperties;
import java.util.HashMap;
import java.util.Map;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class CryptoConfig {

	@Bean
	MasterKeyCipher masterKeyCipher(OidcProperties properties) {
		OidcProperties.Keys keys = properties.keys();
		if (keys.masterKey() == null || keys.masterKey().isBlank()) {
			throw new IllegalStateException("""
					No master key: set tongxing.keys.master-key to 32 random bytes in Base64 \
					(for example the output of `openssl rand -base64 32`). It encrypts signing keys and \
					secrets at rest; keep it out of the database and back it up.""");
		}
		Map<String, String> all = new HashMap<>(keys.retiredMasterKeys());
		all.put(keys.masterKeyId(), keys.masterKey());
		return new MasterKeyCipher(keys.masterKeyId(), all);
	}

	/** First version: sealed under the master key; lookup hashes keyed by a key derived from it. */
	@Bean
	PersonalDataCipher personalDataCipher(MasterKeyCipher master, OidcProperties properties) {
		byte[] lookupKey = Digests.sha256("tongxing-lookup-hash:" + properties.keys().masterKey());
		return new PersonalDataCipher() {

			@Override
			public String seal(String plaintext) {
				return plaintext == null ? null : master.encrypt(plaintext);
			}

			@Override
			public String open(String sealed) {
				return sealed == null ? null : master.decrypt(sealed);
			}

			@Override
			public String lookupHash(String purpose, String value) {
				return Digests.hmacSha256Hex(lookupKey, purpose + "\u0000" + value);
			}
		};
	}

}
