package dev.tongxing.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TwoNodes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Two nodes on one PostgreSQL and one Redis: a client's limit holds for both together, not for each. */
class TwoNodesOneRedisLimitTest {

	static TwoNodes nodes;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = new HashMap<>();
		ClientTierLimitsTest.client(properties, 0, "tier-c", "C");
		properties.put("spring.data.redis.host", "127.0.0.1");
		properties.put("spring.data.redis.port", 6379);
		// this run's own keys: other runs on the same Redis never see these counters
		properties.put("tongxing.rate-limits.redis-key-prefix", "test-" + UUID.randomUUID());
		nodes = TwoNodes.start(properties, HeldTime.Beans.class);
	}

	@AfterAll
	static void stop() throws Exception {
		nodes.close();
	}

	@Test
	void bothNodesTogetherLetOneLimitThrough() throws Exception {
		assertThat(nodes.a().bean(Buckets.class).shared()).isTrue();
		assertThat(nodes.b().bean(Buckets.class).shared()).isTrue();

		// 100 requests alternating between the nodes, within one second of the buckets' time
		TokenBurst burst = TokenBurst.fire(List.of(nodes.a().url(), nodes.b().url()), "tier-c", "secret-0", 100);

		// per node it would be 50 each, 100 in all
		assertThat(burst.count(200)).isEqualTo(50);
		assertThat(burst.count(429)).isEqualTo(50);
		long throughA = 0;
		for (int i = 0; i < 100; i += 2) {
			throughA += burst.replies().get(i).status() == 200 ? 1 : 0;
		}
		assertThat(throughA).isBetween(1L, 49L);

		// both nodes refused it again and again within one minute: one audit entry for the cluster, not one per node
		assertThat(auditedRefusals("tier-c")).isEqualTo(1);
	}

	/** The audit entries of the client's refusals, once every staged entry has reached the chain. */
	private static long auditedRefusals(String clientId) throws Exception {
		try (var c = nodes.postgres().connect()) {
			long deadline = System.nanoTime() + 10_000_000_000L;
			long entries;
			long staged;
			do {
				Thread.sleep(100);
				staged = count(c, "SELECT COUNT(*) FROM audit_staged_entry WHERE type = 'rate-limit.exceeded'");
				entries = count(c, "SELECT COUNT(*) FROM audit_entry WHERE type = 'rate-limit.exceeded' AND client_id = '"
						+ clientId + "'");
			}
			while ((staged > 0 || entries == 0) && System.nanoTime() < deadline);
			return entries;
		}
	}

	private static long count(java.sql.Connection c, String sql) throws Exception {
		try (var rs = c.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
