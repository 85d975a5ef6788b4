package dev.tongxing.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.Prometheus;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A C-tier client over its 50 token requests a second gets 429s with the rate-limit fields while an S-tier
 * client at the same time is untouched; a client's own {@code rate-limit} overrides its tier's.
 */
class ClientTierLimitsTest {

	static GatewayNode node;

	@BeforeAll
	static void start() {
		Map<String, Object> properties = new HashMap<>();
		client(properties, 0, "tier-c", "C");
		client(properties, 1, "tier-s", "S");
		client(properties, 2, "own-limit", "S");
		properties.put("tongxing.clients[2].rate-limit.token-requests-per-second", 2);
		properties.put("tongxing.clients[2].rate-limit.burst", 3);
		int port = FreePort.find();
		node = GatewayNode.start("http://127.0.0.1:" + port, port, properties, HeldTime.Beans.class);
	}

	/** A confidential client_credentials client; its secret is {@code secret-<i>}. */
	static void client(Map<String, Object> properties, int i, String id, String tier) {
		String prefix = "tongxing.clients[" + i + "].";
		properties.put(prefix + "client-id", id);
		properties.put(prefix + "client-secret", "secret-" + i);
		properties.put(prefix + "grant-types", "client_credentials");
		properties.put(prefix + "scopes", "internal.read");
		properties.put(prefix + "tier", tier);
	}

	@AfterAll
	static void stop() {
		node.close();
	}

	@Test
	void cTierClientIsHeldToFiftyPerSecondWhileSTierIsUntouched() throws Exception {
		CompletableFuture<TokenBurst> s = CompletableFuture.supplyAsync(() -> {
			try {
				return TokenBurst.fire(List.of(node.url()), "tier-s", "secret-1", 200);
			}
			catch (Exception e) {
				throw new IllegalStateException(e);
			}
		});
		// the buckets' time stands still: all 200 come within one second, however slow this machine
		TokenBurst c = TokenBurst.fire(List.of(node.url()), "tier-c", "secret-0", 200);

		long ok = c.count(200);
		long limited = c.count(429);
		assertThat(ok).isEqualTo(50);
		assertThat(limited).isEqualTo(150);
		for (OAuthClient.Reply reply : c.replies()) {
			assertThat(reply.headers().firstValue("RateLimit-Policy")).hasValue("\"token\";q=50;w=1");
			if (reply.status() == 429) {
				long retryAfter = Long.parseLong(reply.headers().firstValue("Retry-After").orElseThrow());
				assertThat(retryAfter).isBetween(1L, 2L);
				assertThat(reply.headers().firstValue("RateLimit")).hasValue("\"token\";r=0;t=" + retryAfter);
				assertThat(reply.error()).isEqualTo("temporarily_unavailable");
				assertThat(reply.string("error_description")).contains("tier C");
				assertThat(reply.headers().firstValue("Cache-Control")).hasValue("no-store");
			}
			else {
				assertThat(reply.json()).containsKey("access_token");
				assertThat(reply.headers().firstValue("RateLimit").orElseThrow()).matches("\"token\";r=\\d+;t=0");
			}
		}

		TokenBurst untouched = s.get();
		assertThat(untouched.count(200)).isEqualTo(200);
		assertThat(untouched.replies().getFirst().headers().firstValue("RateLimit-Policy"))
			.hasValue("\"token\";q=5000;w=1");

		Prometheus metrics = Prometheus.scrape(node.url());
		assertThat(metrics.sum("tongxing_rate_limited_total",
				Map.of("client", "tier-c", "tier", "C", "endpoint", "token"))).isEqualTo((double) limited);
		assertThat(metrics.has("tongxing_rate_limited_total", Map.of("client", "tier-s"))).isFalse();
		// many refusals, one audit entry (at most one a minute per client)
		assertThat(node.bean(JdbcClient.class)
			.sql("SELECT count(*) FROM audit_entry WHERE type = 'rate-limit.exceeded' AND client_id = 'tier-c'")
			.query(Long.class)
			.single()).isEqualTo(1L);

		// a second later the bucket holds one second's worth again
		HeldTime.INSTANCE.advanceMillis(1000);
		TokenBurst next = TokenBurst.fire(List.of(node.url()), "tier-c", "secret-0", 60);
		assertThat(next.count(200)).isEqualTo(50);
		assertThat(next.count(429)).isEqualTo(10);
	}

	@Test
	void aClientsOwnRateLimitOverridesItsTier() throws Exception {
		TokenBurst burst = TokenBurst.fire(List.of(node.url()), "own-limit", "secret-2", 12);
		assertThat(burst.count(200)).isEqualTo(3);
		assertThat(burst.count(429)).isEqualTo(9);
		HeldTime.INSTANCE.advanceMillis(500);
		assertThat(TokenBurst.fire(List.of(node.url()), "own-limit", "secret-2", 3).count(200)).isEqualTo(1);
		assertThat(burst.replies().getFirst().headers().firstValue("RateLimit-Policy"))
			.hasValue("\"token\";q=3;w=2");
	}

}
