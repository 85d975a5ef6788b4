package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes on one PostgreSQL counting logins of the same method, app and hour and flushing at the same
 * moments: the roll-ups hold the sum of both (additive upserts, insert races retried), never one node's count.
 */
class AnalyticsTwoNodesTest {

	@Test
	void bothNodesCountsAddUp() throws Exception {
		// the nodes' own flush out of the way: the test flushes both at once
		try (TwoNodes nodes = TwoNodes.start(Map.of("tongxing.analytics.flush-interval", "PT1H"))) {
			ExecutorService pool = Executors.newFixedThreadPool(4);
			try {
				for (int round = 0; round < 5; round++) {
					int r = round;
					List<Future<?>> work = new ArrayList<>();
					CountDownLatch start = new CountDownLatch(1);
					for (GatewayNode node : List.of(nodes.a(), nodes.b())) {
						work.add(pool.submit(() -> {
							start.await();
							LoginAnalytics events = node.bean(LoginAnalytics.class); // the events' listener
							for (int i = 0; i < 20; i++) {
								events.on(LoginAttempted.succeeded("wechat", "wx-app", "user-" + r + "-" + i, null));
								events.on(LoginAttempted.failed("wechat", "wx-app",
										LoginFailureCause.UPSTREAM_UNAVAILABLE, "timeout", null));
							}
							node.bean(RollupStore.class).flush();
							return null;
						}));
					}
					start.countDown();
					for (Future<?> f : work) {
						f.get();
					}
				}
			}
			finally {
				pool.shutdownNow();
			}
			JdbcClient jdbc = nodes.b().bean(JdbcClient.class);
			assertThat(jdbc.sql("SELECT SUM(attempts) FROM analytics_login_hour WHERE method = 'wechat'")
				.query(Long.class).single()).isEqualTo(2 * 5 * 40);
			assertThat(jdbc.sql("SELECT SUM(successes) FROM analytics_login_hour WHERE method = 'wechat'")
				.query(Long.class).single()).isEqualTo(2 * 5 * 20);
			assertThat(jdbc.sql("SELECT SUM(failures) FROM analytics_cause_hour WHERE cause = 'upstream_unavailable'")
				.query(Long.class).single()).isEqualTo(2 * 5 * 20);
			// the same 100 people signed in on both nodes: each one person, new once
			assertThat(jdbc.sql("SELECT COUNT(*) FROM analytics_person").query(Long.class).single()).isEqualTo(100);
			assertThat(jdbc.sql("SELECT SUM(new_people) FROM analytics_people_day").query(Long.class).single())
				.isEqualTo(100);
			assertThat(jdbc.sql("SELECT SUM(returning_people) FROM analytics_people_day").query(Long.class).single())
				.isZero();
		}
	}

}
