package dev.tongxing.server.account;

import dev.tongxing.server.crypto.SealedColumns;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The account columns that hold sealed personal data, for {@code pii rekey}. */
@Configuration(proxyBeanMethods = false)
class AccountSealedColumns {

	@Bean
	SealedColumns accountUserSealedColumns() {
		return SealedColumns.of("account_user", "id", "display_name", "picture_url");
	}

	@Bean
	SealedColumns accountIdentitySealedColumns() {
		return SealedColumns.of("account_identity", "id", "provider_key_sealed", "picture_sealed");
	}

}
