package dev.tongxing.server.audit;

import dev.tongxing.server.crypto.PersonalDataCipher;
import java.sql.DatabaseMetaData;
import java.time.Clock;
import com.zaxxer.hikari.HikariDataSource;
import javax.sql.DataSource;
import org.springframework.boot.jdbc.autoconfigure.DataSourceProperties;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@Configuration(proxyBeanMethods = false)
class AuditConfig {

	@Bean
	AuditCheckpoints auditCheckpoints(JdbcClient jdbc, JwtEncoder encoder, Clock clock) {
		return new AuditCheckpoints(jdbc, encoder, clock);
	}

	@Bean(destroyMethod = "close")
	JdbcAuditLog auditLog(JdbcClient jdbc, Clock clock, AuditProperties properties, AuditCheckpoints checkpoints,
			PersonalDataCipher cipher, DataSource dataSource, DataSourceProperties dataSourceProperties) {
		boolean postgres = isPostgres(dataSource);
		// a pool of its own, not a bean (a second DataSource bean would replace the application's)
		HikariDataSource appender = dataSourceProperties.initializeDataSourceBuilder()
			.type(HikariDataSource.class)
			.build();
		appender.setPoolName("audit-appender");
		appender.setMaximumPoolSize(2);
		appender.setMinimumIdle(1);
		return new JdbcAuditLog(jdbc, JdbcClient.create(appender),
				new TransactionTemplate(new DataSourceTransactionManager(appender)), appender, clock,
				staged -> cipher.lookupHash("audit-staged-entry", staged), postgres, properties.checkpointEvery(),
				checkpoints::checkpoint, properties.sweepInterval());
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
	AuditVerifier auditVerifier(JdbcClient jdbc, AuditCheckpoints checkpoints, AuditVerificationKeys keys,
			JdbcAuditLog log) {
		return new AuditVerifier(new AuditEntries(jdbc), checkpoints, keys::publicKeys, log::forgedStaged);
	}

	@Bean
	AuditRetention auditRetention(JdbcClient jdbc, PlatformTransactionManager transactions, JwtEncoder encoder,
			JdbcAuditLog log, Clock clock, AuditProperties properties, AuditVerificationKeys keys) {
		return new AuditRetention(jdbc, new TransactionTemplate(transactions), encoder, log, clock,
				properties.retention(), keys::publicKeys);
	}

	@Bean
	AuditExport auditExport(JdbcClient jdbc) {
		return new AuditExport(new AuditEntries(jdbc));
	}

}
