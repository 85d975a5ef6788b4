package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Failed-login records past {@code tongxing.ops.failures.retention} are deleted, and the purge is audited. */
class LoginFailureRetentionTest extends GatewayTest {

	@Autowired
	LoginFailureLog failures;

	@Autowired
	OpsProperties properties;

	@Autowired
	JdbcClient jdbc;

	@Test
	void oldFailuresGoAndThePurgeIsOnRecord() {
		Instant old = Instant.now().minus(this.properties.failures().retention()).minus(Duration.ofDays(1));
		Instant recent = Instant.now().minus(Duration.ofHours(1));
		for (Instant at : new Instant[] { old, recent }) {
			this.jdbc.sql("INSERT INTO ops_login_failure (occurred_at, method, cause) VALUES (:at, 'retention-test', 'UNKNOWN')")
				.param("at", at.atOffset(ZoneOffset.UTC))
				.update();
		}
		long entries = purges();
		this.failures.purge();
		assertThat(this.jdbc.sql("SELECT occurred_at FROM ops_login_failure WHERE method = 'retention-test'")
			.query(java.time.OffsetDateTime.class)
			.list()).singleElement().satisfies(at -> assertThat(at.toInstant()).isAfter(old));
		assertThat(purges()).isEqualTo(entries + 1);
		this.failures.purge(); // nothing left to delete: no entry
		assertThat(purges()).isEqualTo(entries + 1);
	}

	private long purges() {
		return this.jdbc.sql("""
				SELECT COUNT(*) FROM audit_entry WHERE type = 'retention.purged' AND details LIKE '%login-failures%'""")
			.query(Long.class)
			.single();
	}

}
