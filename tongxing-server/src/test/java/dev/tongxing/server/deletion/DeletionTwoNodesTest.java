package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two nodes on one PostgreSQL running the completion job at the same moment: every due request is carried
 * out exactly once (one {@code completed} step, one erasure), whichever node gets it.
 */
class DeletionTwoNodesTest {

	@Test
	void everyDueRequestIsCompletedOnceWhenBothNodesRunTheJobAtOnce() throws Exception {
		// due at once, and the nodes' own schedule out of the way: the test runs the job itself
		try (TwoNodes nodes = TwoNodes.start(Map.of("tongxing.deletion.cooling-off", "PT0S",
				"tongxing.deletion.check-interval", "PT1H"))) {
			AccountService accounts = nodes.a().bean(AccountService.class);
			List<String> users = new ArrayList<>();
			for (int i = 0; i < 10; i++) {
				String name = DeletionGatewayTest.newName();
				String userId = accounts.signIn(new ExternalIdentity("dev", name, name)).id();
				DeletionRequest request = nodes.a().bean(AccountDeletion.class).request(userId);
				assertThat(nodes.b().bean(AccountDeletion.class).request(userId).id())
					.as("asking again, on any node, finds the pending request")
					.isEqualTo(request.id());
				users.add(userId);
			}

			CountDownLatch start = new CountDownLatch(1);
			ExecutorService pool = Executors.newFixedThreadPool(6);
			int completed = 0;
			try {
				List<Future<Integer>> runs = new ArrayList<>();
				for (GatewayNode node : List.of(nodes.a(), nodes.b(), nodes.a(), nodes.b(), nodes.a(), nodes.b())) {
					Callable<Integer> run = () -> {
						start.await();
						return node.bean(AccountDeletion.class).completeDue();
					};
					runs.add(pool.submit(run));
				}
				start.countDown();
				for (Future<Integer> run : runs) {
					completed += run.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(completed).isEqualTo(users.size());

			JdbcClient jdbc = nodes.b().bean(JdbcClient.class);
			for (String userId : users) {
				assertThat(accounts.find(userId).orElseThrow().status()).isEqualTo(UserAccount.ERASED);
				assertThat(jdbc.sql("""
						SELECT COUNT(*) FROM audit_entry WHERE type = 'deletion.step' AND subject = :u
						AND details LIKE '%"step":"completed"%'""").param("u", userId).query(Long.class).single())
					.isEqualTo(1);
				assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'account.erased' AND subject = :u")
					.param("u", userId)
					.query(Long.class)
					.single()).isEqualTo(1);
			}
		}
	}

}
