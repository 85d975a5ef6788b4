package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two nodes on one PostgreSQL schema deliver from one outbox at the same time, and no event is sent twice:
 * a row belongs to the node whose conditional claim won it.
 */
class TwoNodesDeliveryTest {

	@Test
	void twoNodesNeverDeliverTheSameEventTwice() throws Exception {
		try (TestReceiver receiver = new TestReceiver(FreePort.find())) {
			Map<String, Object> properties = new HashMap<>();
			properties.put("tongxing.clients[0].client-id", "rp-one");
			properties.put("tongxing.clients[0].client-secret", "rp-one-secret");
			properties.put("tongxing.clients[0].redirect-uris[0]", "http://127.0.0.1:3000/rp-one");
			properties.put("tongxing.clients[0].subject-type", "public"); // not first-party: pairwise by default
			properties.put("tongxing.clients[0].events-endpoint", receiver.url() + "/rp-one/events");
			properties.put("tongxing.events.poll-interval", "50ms");
			properties.put("tongxing.events.batch-size", "3");
			properties.put("tongxing.events.connect-timeout", "1s");
			properties.put("tongxing.events.request-timeout", "2s");
			properties.put("tongxing.events.lease", "10s");
			try (TwoNodes nodes = TwoNodes.start(properties)) {
				GatewayNode a = nodes.a();
				receiver.trust(a.url());
				int count = 60;
				TestReceiver.Script[] slow = new TestReceiver.Script[count];
				java.util.Arrays.fill(slow, TestReceiver.Script.hold(Duration.ofMillis(30)));
				receiver.script("rp-one", "events", slow);
				List<String> jtis = new ArrayList<>();
				a.bean(TransactionTemplate.class).executeWithoutResult(status -> {
					OutboxSecurityEvents events = a.bean(OutboxSecurityEvents.class);
					for (int i = 0; i < count; i++) {
						jtis.add(events.verification("rp-one", "n" + i));
					}
				});

				JdbcClient jdbc = a.bean(JdbcClient.class);
				await().atMost(Duration.ofSeconds(60))
					.until(() -> jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE status = 'delivered'")
						.query(Long.class)
						.single() == count);
				List<TestReceiver.Arrival> arrivals = receiver.arrivals();
				assertThat(arrivals).hasSize(count);
				assertThat(arrivals.stream().map(TestReceiver.Arrival::jti).collect(Collectors.toSet()))
					.isEqualTo(Set.copyOf(jtis));
				assertThat(arrivals).allSatisfy(arrival -> assertThat(arrival.error()).isNull());
				// a worker counts its delivery right after the row's commit, which the wait above may have seen first
				await().atMost(Duration.ofSeconds(5)).until(() -> delivered(a) + delivered(nodes.b()) >= count);
				double byA = delivered(a);
				double byB = delivered(nodes.b());
				assertThat(byA + byB).isEqualTo(count);
				assertThat(byA).as("node a delivered some").isPositive();
				assertThat(byB).as("node b delivered some").isPositive();
			}
		}
	}

	private static double delivered(GatewayNode node) {
		var counter = node.bean(MeterRegistry.class).find("tongxing.security.events.delivered").counter();
		return counter == null ? 0 : counter.count();
	}

}
