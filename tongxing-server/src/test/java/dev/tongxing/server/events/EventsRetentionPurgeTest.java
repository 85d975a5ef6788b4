package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Finished security events past {@code tongxing.events.retention} are deleted, and the purge is audited. */
class EventsRetentionPurgeTest extends GatewayTest {

	@Autowired
	DeliveryWorker worker;

	@Autowired
	EventsProperties properties;

	@Autowired
	JdbcClient jdbc;

	@Test
	void oldFinishedEventsGoAndThePurgeIsOnRecord() {
		String id = "retention-" + UUID.randomUUID();
		var old = Instant.now().minus(this.properties.retention()).minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC);
		this.jdbc.sql("""
				INSERT INTO events_outbox (id, kind, event_type, client_id, claims, status, attempts, created_at,
				queued_at, next_attempt_at, finished_at)
				VALUES (:id, 'set', 'retention-test', 'retention-test', '{}', 'delivered', 1, :t, :t, :t, :t)""")
			.param("id", id)
			.param("t", old)
			.update();
		this.worker.purge();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE id = :id").param("id", id)
			.query(Long.class)
			.single()).isZero();
		assertThat(this.jdbc.sql("""
				SELECT details FROM audit_entry WHERE type = 'retention.purged' AND details LIKE '%security-events%'
				ORDER BY seq DESC""").query(String.class).list()).first().asString().contains("\"rows\"");
	}

}
