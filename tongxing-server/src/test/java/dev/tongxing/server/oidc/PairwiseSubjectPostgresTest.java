package dev.tongxing.server.oidc;

import static dev.tongxing.server.oidc.PairwiseClients.idTokenSub;
import static dev.tongxing.server.oidc.PairwiseClients.signIn;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.crypto.PairwiseSubjectKey;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code oidc_pairwise_subject} on PostgreSQL, two nodes on one schema: a sub given on one node is the one the
 * other gives and maps back; many first requests for one person at one client at once, on both nodes and inside
 * callers' transactions, store one row and give one sub, and losing the race aborts no caller's transaction; the
 * person's erasure takes the rows.
 */
class PairwiseSubjectPostgresTest {

	@Test
	void oneSubPerPersonAndClientAcrossNodesAndRaces() throws Exception {
		try (TwoNodes nodes = TwoNodes.start(PairwiseClients.properties())) {
			GatewayNode a = nodes.a();
			GatewayNode b = nodes.b();
			String person = "pw-" + UUID.randomUUID();
			String accountId = idTokenSub(signIn(a.url(), "pub", person));
			String oneSub = idTokenSub(signIn(a.url(), "pw-one", person));
			assertThat(oneSub).isNotEqualTo(accountId)
				.isEqualTo(b.bean(PairwiseSubjectKey.class).subject("127.0.0.1", accountId));

			ClientSubjects onB = b.bean(ClientSubjects.class);
			assertThat(onB.subjectFor(accountId, "pw-one")).isEqualTo(oneSub);
			assertThat(onB.userFor(oneSub, "pw-one")).isEqualTo(accountId);
			assertThat(idTokenSub(signIn(b.url(), "pw-sibling", person))).isEqualTo(oneSub);

			// a race for a person nobody asked about yet, in callers' transactions on both nodes
			String racer = "racer-" + UUID.randomUUID();
			int threads = 8;
			CountDownLatch start = new CountDownLatch(1);
			Set<String> given = ConcurrentHashMap.newKeySet();
			ExecutorService pool = Executors.newFixedThreadPool(threads);
			try {
				List<Future<Long>> results = new ArrayList<>();
				for (int i = 0; i < threads; i++) {
					GatewayNode node = i % 2 == 0 ? a : b;
					TransactionTemplate tx = new TransactionTemplate(node.bean(PlatformTransactionManager.class));
					results.add(pool.submit(() -> {
						start.await();
						return tx.execute(status -> {
							given.add(node.bean(ClientSubjects.class).subjectFor(racer, "pw-other"));
							// the caller's transaction still works after the insert, won or lost
							return node.bean(JdbcClient.class)
								.sql("SELECT COUNT(*) FROM oidc_pairwise_subject WHERE user_id = :u")
								.param("u", racer)
								.query(Long.class)
								.single();
						});
					}));
				}
				start.countDown();
				for (Future<Long> result : results) {
					assertThat(result.get()).isEqualTo(1);
				}
			}
			finally {
				pool.shutdownNow();
			}
			assertThat(given).containsExactly(a.bean(PairwiseSubjectKey.class).subject("other.example.com", racer));
			assertThat(PairwiseSubjectTest.rows(a.bean(JdbcClient.class), racer)).isEqualTo(1);

			// erasure on one node: gone for both
			b.bean(ClientSubjects.class).erase(accountId);
			assertThat(PairwiseSubjectTest.rows(a.bean(JdbcClient.class), accountId)).isZero();
			assertThat(a.bean(ClientSubjects.class).userFor(oneSub, "pw-one")).isEqualTo(oneSub);
		}
	}

}
