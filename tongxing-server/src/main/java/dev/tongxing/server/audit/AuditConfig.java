package dev.tongxing.server.audit;

import dev.tongxing.server.oidc.keys.SigningKeys;
import dev.tongxing.server.crypto.PersonalDataCipher;
import java.sql.DatabaseMetaData;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
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

	@Bean(destroyMethod = "close")
	JdbcAuditLog auditLog(JdbcClient jdbc, TransactionTemplate tx, Clock clock, AuditProperties properties,
			AuditCheckpoints checkpoints, PersonalDataCipher cipher, DataSource dataSource) {
		boolean postgres = isPostgres(dataSource);
		return new JdbcAuditLog(jdbc, tx, clock, staged -> cipher.lookupHash("audit-staged-entry", staged), postgres,
				properties.checkpointEvery(), checkpoints::checkpoint, properties.sweepInterval());
	}

	private static boolean isPostgres(DataSource dataSource) {
		try {
			String product = JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getDatabaseProductName);
			return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgres");
		}
		catch (MetaDataAccessException ex) {
			return false;
		}
	}

	@Bean
	AuditVerifier auditVerifier(JdbcClient jdbc, AuditCheckpoints checkpoints, SigningKeys keys, JdbcAuditLog log) {
		return new AuditVerifier(new AuditEntries(jdbc), checkpoints, keys::allPublicKeys, log::forgedStaged);
	}

	@Bean
	AuditExport auditExport(JdbcClient jdbc) {
		return new AuditExport(new AuditEntries(jdbc));
	}

}
