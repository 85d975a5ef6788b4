package dev.tongxing.server.audit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.TwoNodes;
import dev.tongxing.server.testing.Postgres;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The chain on a real PostgreSQL: appends from many threads and from two gateway nodes form one chain. */
class AuditPostgresTest {

	@Test
	void concurrentAppendsAndTamperingOnPostgres() throws Exception {
		try (Postgres postgres = new Postgres();
				AuditDatabase db = new AuditDatabase(new DriverManagerDataSource(
						Postgres.URL + "?currentSchema=" + postgres.schema(), Postgres.USER, Postgres.PASSWORD),
						postgres.schema())) {
			List<Callable<Object>> writers = new ArrayList<>();
			for (int t = 0; t < 8; t++) {
				writers.add(() -> {
					db.record(50);
					return null;
				});
			}
			runAll(writers);
			assertThat(db.checkpoints.checkpoint()).isPresent();
			AuditReport report = db.verifier.verify();
			assertThat(report.intact()).as(report.describe()).isTrue();
			assertThat(report.entries()).isEqualTo(400);
			assertThat(report.checkpoints()).isEqualTo(1);

			db.sql("DELETE FROM audit_entry WHERE seq = 123");
			assertThat(db.verifier.verify().problem()).satisfies(p -> {
				assertThat(p.kind()).isEqualTo(AuditReport.Kind.REMOVED);
				assertThat(p.seq()).isEqualTo(123);
			});
		}
	}

	@Test
	void twoNodesAppendingAtOnceFormOneChain() throws Exception {
		try (TwoNodes nodes = TwoNodes.start(Map.of("tongxing.audit.checkpoint-interval", "1s"))) {
			GatewayNode a = nodes.a();
			GatewayNode b = nodes.b();
			List<Callable<Object>> writers = new ArrayList<>();
			for (GatewayNode node : List.of(a, b)) {
				AuditLog log = node.bean(AuditLog.class);
				AuditCheckpoints checkpoints = node.bean(AuditCheckpoints.class);
				for (int t = 0; t < 4; t++) {
					writers.add(() -> {
						for (int i = 0; i < 50; i++) {
							log.record(AuditEntry.of(AuditTypes.LOGIN_SUCCEEDED).subject("u" + i).detail("i", i));
							if (i % 10 == 0) {
								checkpoints.checkpoint(); // both nodes sign, now and then, at once
							}
						}
						return null;
					});
				}
			}
			runAll(writers);
			// the scheduled checkpoint (every second here) catches up with the head
			JdbcClient jdbc = a.bean(JdbcClient.class);
			long head = jdbc.sql("SELECT seq FROM audit_chain_head").query(Long.class).single();
			long deadline = System.currentTimeMillis() + 15_000;
			while (jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_checkpoint").query(Long.class).single() < head
					&& System.currentTimeMillis() < deadline) {
				Thread.sleep(100);
			}
			assertThat(jdbc.sql("SELECT MAX(seq) FROM audit_checkpoint").query(Long.class).single())
				.isGreaterThanOrEqualTo(head);
			for (GatewayNode node : List.of(a, b)) {
				AuditReport report = node.bean(AuditVerifier.class).verify();
				assertThat(report.intact()).as(report.describe()).isTrue();
				assertThat(report.entries()).isGreaterThanOrEqualTo(400);
				assertThat(report.checkpoints()).isPositive();
			}
		}
	}

	private static void runAll(List<Callable<Object>> tasks) throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(tasks.size());
		try {
			for (Future<Object> done : threads.invokeAll(tasks)) {
				done.get();
			}
		}
		finally {
			threads.shutdown();
		}
	}

}
