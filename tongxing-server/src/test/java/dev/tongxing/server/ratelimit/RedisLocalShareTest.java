package dev.tongxing.server.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisURI;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * A limit with a local share ({@code redis-local-tokens > 0}, e.g. an S-tier client's): each node decides on
 * its copy of the shared bucket and reports to Redis in the background, so a request never waits for Redis,
 * and the nodes together still stay within the limit plus each node's share.
 */
class RedisLocalShareTest {

	private static final int SHARE = 20;

	private static RateLimitProperties properties(String prefix) {
		return new RateLimitProperties(true, Map.of(), RateLimitProperties.RedisUnavailable.LOCAL, Duration.ofSeconds(2),
				prefix, SHARE);
	}

	@Test
	void twoNodesTogetherStayWithinTheLimitAndTheirShares() throws Exception {
		RateLimitProperties properties = properties("test-" + UUID.randomUUID());
		HeldTime time = new HeldTime();
		RequestLimit limit = new RequestLimit(1000, 1000);
		try (RedisBuckets a = new RedisBuckets(RedisURI.create("127.0.0.1", 6379), properties, null,
				new SimpleMeterRegistry(), time);
				RedisBuckets b = new RedisBuckets(RedisURI.create("127.0.0.1", 6379), properties, null,
						new SimpleMeterRegistry(), time)) {
			assertThat(a.shared()).isTrue();
			assertThat(b.shared()).isTrue();
			AtomicLong granted = new AtomicLong();
			List<Thread> threads = new ArrayList<>();
			for (RedisBuckets node : List.of(a, b, a, b)) {
				threads.add(Thread.ofPlatform().start(() -> {
					for (int i = 0; i < 1000; i++) {
						if (node.take("token:s", limit).allowed()) {
							granted.incrementAndGet();
						}
						// at most 4,000 requests a second in all, 2,000 a node: four times the limit
						LockSupport.parkNanos(1_000_000);
					}
				}));
			}
			for (Thread thread : threads) {
				thread.join();
			}
			// the time is held: no refill, so 1000 is the limit; per node it would be 2000. Each node may grant its
			// share before reporting, and what it grants while a report is on its way (here at most 2 a millisecond;
			// 20 ms of reports allowed for a busy machine)
			assertThat(a.shared()).isTrue();
			assertThat(granted.get()).isBetween(1000L, 1000L + 2 * SHARE + 2 * 40);
		}
	}

	@Test
	void aRequestDoesNotWaitWhileRedisIsSlow() throws Exception {
		try (PrivateRedis redis = new PrivateRedis().start();
				RedisBuckets node = new RedisBuckets(RedisURI.create("127.0.0.1", redis.port()),
						properties("test-" + UUID.randomUUID()), null, new SimpleMeterRegistry(), new HeldTime())) {
			RequestLimit limit = new RequestLimit(5000, 5000);
			// the first request of a bucket reads it from Redis
			assertThat(node.take("token:s", limit).allowed()).isTrue();

			Thread slow = redis.sleep(1500);
			Thread.sleep(100);
			long started = System.nanoTime();
			int allowed = 0;
			for (int i = 0; i < 200; i++) {
				allowed += node.take("token:s", limit).allowed() ? 1 : 0;
			}
			long tookMillis = (System.nanoTime() - started) / 1_000_000;
			slow.join();

			// ten times the share: several reports are due meanwhile, none of them holds a request up
			assertThat(allowed).isEqualTo(200);
			assertThat(tookMillis).as("200 decisions while Redis sleeps 1.5 s").isLessThan(700);
			assertThat(node.shared()).isTrue();
		}
	}

}
