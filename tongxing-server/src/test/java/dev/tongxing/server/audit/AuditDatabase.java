package dev.tongxing.server.audit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SimpleDriverDataSource;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.transaction.support.TransactionTemplate;

/** The audit log's parts on a database of their own (fresh in-memory H2, or any given one), without Spring. */
final class AuditDatabase implements AutoCloseable {

	final DataSource dataSource;

	final JdbcClient jdbc;

	final TransactionTemplate tx;

	final RSAKey key;

	final AuditCheckpoints checkpoints;

	final JdbcAuditLog log;

	final AuditVerifier verifier;

	final AuditExport export;

	AuditDatabase() {
		this(new SimpleDriverDataSource(new org.h2.Driver(),
				"jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", ""));
	}

	AuditDatabase(DataSource dataSource, String... schemas) {
		this.dataSource = dataSource;
		Flyway.configure().dataSource(dataSource).schemas(schemas).locations("classpath:db/migration").load().migrate();
		this.jdbc = JdbcClient.create(dataSource);
		this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		this.key = rsaKey();
		this.checkpoints = new AuditCheckpoints(this.jdbc, new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(this.key))),
				Clock.systemUTC());
		this.log = newLog(Long.MAX_VALUE, () -> {
		});
		this.verifier = new AuditVerifier(new AuditEntries(this.jdbc), this.checkpoints,
				() -> new JWKSet(this.key.toPublicJWK()), this.log::forgedStaged);
		this.export = new AuditExport(new AuditEntries(this.jdbc));
	}

	/** A MAC key for staged entries, the same for every log on this database (as every node's is). */
	private final byte[] macKey = dev.tongxing.server.crypto.RandomIds.bytes(32);

	/** An audit log (with its own appender, as each node has) on this database. */
	JdbcAuditLog newLog(long checkpointEvery, Runnable checkpoint) {
		boolean postgres;
		try (var c = this.dataSource.getConnection()) {
			postgres = c.getMetaData().getDatabaseProductName().toLowerCase(java.util.Locale.ROOT).contains("postgres");
		}
		catch (java.sql.SQLException ex) {
			throw new IllegalStateException(ex);
		}
		return new JdbcAuditLog(this.jdbc, this.jdbc, this.tx, null, Clock.systemUTC(),
				staged -> dev.tongxing.server.crypto.Digests.hmacSha256Hex(this.macKey, staged), postgres,
				checkpointEvery, checkpoint, java.time.Duration.ofMillis(500));
	}

	static RSAKey rsaKey() {
		try {
			return new RSAKeyGenerator(2048).keyUse(KeyUse.SIGNATURE)
				.algorithm(JWSAlgorithm.RS256)
				.keyID(UUID.randomUUID().toString())
				.generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	void record(int n) {
		for (int i = 1; i <= n; i++) {
			this.log.record(AuditEntry.of(AuditTypes.LOGIN_SUCCEEDED)
				.actor("user:u" + i)
				.subject("u" + i)
				.detail("method", i % 2 == 0 ? "wechat" : "phone")
				.detail("n", i));
		}
	}

	void sql(String statement, Object... params) {
		var spec = this.jdbc.sql(statement);
		for (Object p : params) {
			spec = spec.param(p);
		}
		spec.update();
	}

	String hashOf(long seq) {
		return this.jdbc.sql("SELECT hash FROM audit_entry WHERE seq = ?").param(seq).query(String.class).single();
	}

	ChainedEntry entry(long seq) {
		return new AuditEntries(this.jdbc).after(seq - 1).get(0);
	}

	/** Stops the log's appender (it would go on sweeping a database that is gone). */
	@Override
	public void close() {
		this.log.close();
	}

}
