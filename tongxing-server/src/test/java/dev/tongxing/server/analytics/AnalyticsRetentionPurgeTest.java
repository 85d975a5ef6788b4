package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Roll-ups past {@code tongxing.analytics.retention} are deleted, and the purge is audited. */
class AnalyticsRetentionPurgeTest extends GatewayTest {

	@Autowired
	RollupStore rollups;

	@Autowired
	AnalyticsProperties properties;

	@Autowired
	JdbcClient jdbc;

	@Test
	void oldRollUpsGoAndThePurgeIsOnRecord() {
		Instant old = Instant.now().minus(this.properties.retention()).minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
		this.jdbc.sql("""
				INSERT INTO analytics_login_hour (hour_start, method, app, client, platform, attempts, successes)
				VALUES (:h, 'retention-test', '', '', 'web', 3, 2)""")
			.param("h", old.atOffset(ZoneOffset.UTC))
			.update();
		this.rollups.purge();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM analytics_login_hour WHERE method = 'retention-test'")
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("""
				SELECT details FROM audit_entry WHERE type = 'retention.purged' AND details LIKE '%"analytics"%'
				ORDER BY seq DESC""").query(String.class).list()).first().asString().contains("\"rows\"")
			.contains(this.properties.retention().toString());
	}

}
