package dev.tongxing.server.oidc.keys;

import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.server.oidc.TokenProperties;
import java.time.Clock;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class SigningKeyConfig {

	@Bean
	SigningKeys signingKeys(JdbcClient jdbc, TransactionTemplate tx, MasterKeyCipher cipher,
			TokenProperties tokens, SigningKeyProperties properties, Clock clock) {
		return new SigningKeys(new SigningKeyStore(jdbc, tx), cipher, tokens, properties, clock);
	}

	/** Runs once every bean, Flyway's migration included, is ready. */
	@Bean
	SmartInitializingSingleton signingKeysInitializer(SigningKeys keys) {
		return keys::initialize;
	}

}
