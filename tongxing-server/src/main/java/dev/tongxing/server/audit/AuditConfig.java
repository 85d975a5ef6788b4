package dev.tongxing.server.audit;

import dev.tongxing.server.oidc.keys.SigningKeys;
import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfig {

	@Bean
	AuditCheckpoints auditCheckpoints(JdbcClient jdbc, JwtEncoder encoder, Clock clock) {
		return new AuditCheckpoints(jdbc, encoder, clock);
	}

	@Bean
	AuditLog auditLog(JdbcClient jdbc, TransactionTemplate tx, Clock clock, AuditProperties properties,
			AuditCheckpoints checkpoints) {
		return new JdbcAuditLog(jdbc, tx, clock, properties.checkpointEvery(), checkpoints::checkpoint);
	}

	@Bean
	AuditVerifier auditVerifier(JdbcClient jdbc, AuditCheckpoints checkpoints, SigningKeys keys) {
		return new AuditVerifier(new AuditEntries(jdbc), checkpoints, keys::allPublicKeys);
	}

	@Bean
	AuditExport auditExport(JdbcClient jdbc) {
		return new AuditExport(new AuditEntries(jdbc));
	}

}
