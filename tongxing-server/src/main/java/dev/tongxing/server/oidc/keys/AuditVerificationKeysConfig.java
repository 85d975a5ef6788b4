package dev.tongxing.server.oidc.keys;

import dev.tongxing.server.audit.AuditVerificationKeys;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Hands the audit log the keys its checkpoints are verified with (audit → oidc would be a cycle). */
@Configuration(proxyBeanMethods = false)
class AuditVerificationKeysConfig {

	@Bean
	AuditVerificationKeys auditVerificationKeys(SigningKeys keys) {
		return keys::allPublicKeys;
	}

}
