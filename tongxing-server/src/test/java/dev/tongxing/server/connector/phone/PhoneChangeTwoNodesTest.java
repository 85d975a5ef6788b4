package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes on one PostgreSQL running the phone-change job at the same moment: every due change is applied
 * exactly once (one {@code phone-change.applied} entry, the new number bound, the old one gone), whichever
 * node claims it.
 */
class PhoneChangeTwoNodesTest {

	@Test
	void everyDueChangeIsAppliedOnceWhenBothNodesRunTheJobAtOnce() throws Exception {
		// the nodes' own schedule out of the way: the test runs the job itself
		try (TwoNodes nodes = TwoNodes.start(Map.of("tongxing.account.phone-change.check-interval", "PT1H"))) {
			AccountService accounts = nodes.a().bean(AccountService.class);
			JdbcClient jdbc = nodes.b().bean(JdbcClient.class);
			Map<String, String> wantedBy = new LinkedHashMap<>();
			for (int i = 0; i < 8; i++) {
				String name = "two-nodes-" + UUID.randomUUID().toString().substring(0, 8);
				String userId = accounts.signIn(new ExternalIdentity("dev", name, name)).id();
				String old = PhoneChangeNeedsOldNumberTest.randomPhone();
				String wanted = PhoneChangeNeedsOldNumberTest.randomPhone();
				accounts.link(userId, new IdentityKey("phone", old), "phone");
				AccountService.LinkedIdentity bound = accounts.identities(userId)
					.stream()
					.filter(identity -> identity.provider().equals("phone"))
					.findFirst()
					.orElseThrow();
				GatewayNode asked = i % 2 == 0 ? nodes.a() : nodes.b();
				assertThat(asked.bean(PhoneChanges.class).schedule(userId, bound, wanted, Locale.SIMPLIFIED_CHINESE))
					.isInstanceOf(PhoneChanges.Scheduled.class);
				assertThat(nodes.b().bean(PhoneChanges.class).schedule(userId, bound, wanted, Locale.ENGLISH))
					.as("a second request, on any node, finds the waiting one")
					.isInstanceOf(PhoneChanges.AlreadyScheduled.class);
				wantedBy.put(userId, wanted);
			}
			// the wait is over (set-up: the smallest wait the configuration allows is a day)
			jdbc.sql("UPDATE phone_change SET due_at = :past WHERE user_id IN (:u)")
				.param("past", OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1))
				.param("u", List.copyOf(wantedBy.keySet()))
				.update();

			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(6);
			int applied = 0;
			try {
				List<Future<Integer>> runs = new ArrayList<>();
				for (GatewayNode node : List.of(nodes.a(), nodes.b(), nodes.a(), nodes.b(), nodes.a(), nodes.b())) {
					Callable<Integer> run = () -> {
						start.await();
						return node.bean(PhoneChanges.class).applyDue();
					};
					runs.add(pool.submit(run));
				}
				start.countDown();
				for (Future<Integer> run : runs) {
					applied += run.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(applied).isEqualTo(wantedBy.size());

			for (Map.Entry<String, String> change : wantedBy.entrySet()) {
				assertThat(accounts.identities(change.getKey())
					.stream()
					.filter(identity -> identity.provider().equals("phone"))
					.map(AccountService.LinkedIdentity::key)
					.toList()).containsExactly(change.getValue());
				assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'phone-change.applied' AND subject = :u")
					.param("u", change.getKey())
					.query(Long.class)
					.single()).isEqualTo(1);
			}
		}
	}

}
