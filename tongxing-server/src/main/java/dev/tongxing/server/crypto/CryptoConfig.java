package dev.tongxing.server.crypto;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

@Configuration(proxyBeanMethods = false)
class CryptoConfig {

	@Bean
	MasterKeyCipher masterKeyCipher(MasterKeyProperties keys) {
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

	/** Depends on the master-key cipher so that a missing master key is reported in its own words first. */
	@Bean
	DataKeyProvider dataKeyProvider(MasterKeyCipher masterKeyCipher, PiiProperties pii, MasterKeyProperties keys) {
		return new ConfiguredDataKeyProvider(pii, keys);
	}

	@Bean
	JoseDataCipher personalDataCipher(DataKeyProvider keys) {
		return new JoseDataCipher(keys);
	}

	@Bean
	PairwiseSubjectKey pairwiseSubjectKey(DataKeyProvider keys) {
		return new PairwiseSubjectKey(keys);
	}

	@Bean
	PersonalDataRekey personalDataRekey(JoseDataCipher cipher, JdbcClient jdbc, DataSource dataSource,
			List<SealedColumns> tables, PiiProperties pii) {
		return new PersonalDataRekey(cipher, jdbc, dataSource, tables, pii.rekeyBatchSize());
	}

}
