package dev.tongxing.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.ops.DependencyIncidents;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.Prometheus;
import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Redis stops under a running gateway: the limits fall back to this node (log line, metric, incident) and
 * come back to Redis by themselves once it answers again; or, if so configured, limited requests are refused.
 */
class RedisOutageTest {

	static PrivateRedis redis;

	static GatewayNode node;

	@BeforeAll
	static void start() throws Exception {
		redis = new PrivateRedis().start();
		Map<String, Object> properties = new HashMap<>();
		ClientTierLimitsTest.client(properties, 0, "tier-c", "C");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", redis.port());
		properties.put("tongxing.rate-limits.redis-key-prefix", "test-" + UUID.randomUUID());
		int port = FreePort.find();
		node = GatewayNode.start("http://127.0.0.1:" + port, port, properties, HeldTime.Beans.class);
	}

	@AfterAll
	static void stop() throws Exception {
		node.close();
		redis.close();
	}

	@Test
	void fallsBackToThisNodeAndRecovers() throws Exception {
		Buckets buckets = node.bean(Buckets.class);
		assertThat(buckets.shared()).isTrue();
		assertThat(TokenBurst.fire(List.of(node.url()), "tier-c", "secret-0", 60).count(200)).isEqualTo(50);

		redis.stop();
		HeldTime.INSTANCE.advanceMillis(1000);
		// still limited, now by this node alone: nothing fails for want of Redis
		TokenBurst during = TokenBurst.fire(List.of(node.url()), "tier-c", "secret-0", 60);
		assertThat(during.count(200)).isEqualTo(50);
		assertThat(during.count(429)).isEqualTo(10);
		assertThat(buckets.shared()).isFalse();
		Prometheus metrics = Prometheus.scrape(node.url());
		assertThat(metrics.sum("tongxing_rate_limit_fallbacks_total")).isEqualTo(1.0);
		assertThat(metrics.sum("tongxing_rate_limit_shared")).isEqualTo(0.0);
		waitFor(() -> openIncidents() == 1, "an incident for the rate limits' Redis");

		redis.start();
		waitFor(buckets::shared, "the limits back on Redis");
		waitFor(() -> openIncidents() == 0, "the incident resolved");
		assertThat(Prometheus.scrape(node.url()).sum("tongxing_rate_limit_shared")).isEqualTo(1.0);
		HeldTime.INSTANCE.advanceMillis(1000);
		assertThat(TokenBurst.fire(List.of(node.url()), "tier-c", "secret-0", 60).count(200)).isEqualTo(50);
	}

	@Test
	void refusesWhileRedisIsAwayIfSoConfigured() throws Exception {
		RateLimitProperties refuse = new RateLimitProperties(true, Map.of(), RateLimitProperties.RedisUnavailable.REFUSE,
				Duration.ofMillis(250), "test-" + UUID.randomUUID(), 0);
		try (PrivateRedis own = new PrivateRedis().start();
				RedisBuckets buckets = new RedisBuckets(RedisURI.create("127.0.0.1", own.port()), refuse,
						node.bean(DependencyIncidents.class), new SimpleMeterRegistry(), HeldTime.INSTANCE)) {
			RequestLimit limit = new RequestLimit(1, 1);
			assertThat(buckets.take("token:x", limit).allowed()).isTrue();
			assertThat(buckets.take("token:x", limit).allowed()).isFalse();
			own.stop();
			Buckets.Take refused = buckets.take("token:y", limit);
			assertThat(refused.allowed()).isFalse();
			assertThat(refused.unavailable()).isTrue();
		}
	}

	private static long openIncidents() {
		return node.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM ops_incident WHERE method = 'rate-limits-redis' AND resolved_at IS NULL")
			.query(Long.class)
			.single();
	}

	private static void waitFor(BooleanSupplier condition, String what) throws InterruptedException {
		for (int i = 0; i < 300 && !condition.getAsBoolean(); i++) {
			Thread.sleep(100);
		}
		assertThat(condition.getAsBoolean()).as(what).isTrue();
	}

}
