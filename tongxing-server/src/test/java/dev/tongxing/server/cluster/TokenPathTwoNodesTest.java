package dev.tongxing.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TwoNodes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The token path on two nodes and one PostgreSQL: no request waits on a lock another request holds (no hot
 * row), the audit log stays one verifiable chain over both nodes' entries, and a revocation on one node is
 * obeyed by the other within a second.
 */
class TokenPathTwoNodesTest {

	/** Names this test's connections in pg_stat_activity (other runs may share the database). */
	static final String APPLICATION = "tongxing-test-" + UUID.randomUUID().toString().substring(0, 8);

	static TwoNodes nodes;

	@BeforeAll
	static void startNodes() {
		nodes = TwoNodes.start(Map.of("spring.datasource.hikari.data-source-properties.ApplicationName", APPLICATION));
	}

	@AfterAll
	static void stopNodes() throws Exception {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void concurrentGrantsOnBothNodesNeverWaitOnALockAndEveryOneIsAudited() throws Exception {
		long auditedBefore = tokenEntries();
		int threadsPerNode = 8;
		int grantsPerThread = 40;
		AtomicBoolean loading = new AtomicBoolean(true);
		AtomicInteger samples = new AtomicInteger();
		List<String> requestWaits = new ArrayList<>();
		AtomicInteger appenderWaits = new AtomicInteger();
		Thread sampler = Thread.ofPlatform().start(() -> {
			try (Connection c = nodes.postgres().connect(); PreparedStatement waiting = c.prepareStatement("""
					SELECT a.application_name, a.query FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
					WHERE NOT l.granted AND (a.application_name = ? OR a.application_name = 'tongxing-audit-appender')""")) {
				waiting.setString(1, APPLICATION);
				while (loading.get()) {
					try (ResultSet rs = waiting.executeQuery()) {
						while (rs.next()) {
							if (rs.getString(1).equals(APPLICATION)) {
								synchronized (requestWaits) {
									requestWaits.add(rs.getString(2));
								}
							}
							else {
								appenderWaits.incrementAndGet();
							}
						}
					}
					samples.incrementAndGet();
					Thread.sleep(5);
				}
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		ExecutorService load = Executors.newFixedThreadPool(2 * threadsPerNode);
		List<Future<Integer>> done = new ArrayList<>();
		try {
			for (int t = 0; t < 2 * threadsPerNode; t++) {
				String node = (t % 2 == 0 ? nodes.a() : nodes.b()).url();
				done.add(load.submit(() -> {
					OAuthClient oauth = new OAuthClient(node);
					int ok = 0;
					for (int i = 0; i < grantsPerThread; i++) {
						if (oauth.post("/oauth2/token", "backend", "backend-secret",
								Map.of("grant_type", "client_credentials")).status() == 200) {
							ok++;
						}
					}
					return ok;
				}));
			}
			int granted = 0;
			for (Future<Integer> f : done) {
				granted += f.get();
			}
			assertThat(granted).isEqualTo(2 * threadsPerNode * grantsPerThread);
		}
		finally {
			loading.set(false);
			load.shutdown();
			sampler.join();
		}
		System.out.printf("lock sampling: %d samples, %d request waits, %d waits between the nodes' audit appenders%n",
				samples.get(), requestWaits.size(), appenderWaits.get());
		assertThat(samples.get()).isGreaterThan(10);
		assertThat(requestWaits).as("statements of requests waiting on a lock").isEmpty();

		// every grant has its entry, and the one chain over both nodes' entries verifies
		assertThat(tokenEntries() - auditedBefore).isEqualTo(2L * threadsPerNode * grantsPerThread);
		assertThat(rows("SELECT COUNT(*) FROM oauth2_authorization WHERE authorization_grant_type = 'client_credentials'"))
			.as("client tokens are self-contained: no rows").isZero();
		java.net.http.HttpResponse<String> verify = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodes.b().url() + "/admin/api/audit/verify"))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(verify.statusCode()).as(verify.body()).isEqualTo(200);
		assertThat(verify.body()).contains("\"intact\":true");

		// and it catches tampering with either node's entries
		long victim = rows("SELECT MIN(seq) FROM audit_entry WHERE type = 'token.issued' AND seq > 5");
		try (Connection c = nodes.postgres().connect()) {
			c.createStatement().executeUpdate("DELETE FROM audit_entry WHERE seq = " + victim);
		}
		java.net.http.HttpResponse<String> tampered = java.net.http.HttpClient.newHttpClient()
			.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(nodes.a().url() + "/admin/api/audit/verify"))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
		assertThat(tampered.body()).contains("\"intact\":false").contains("REMOVED").contains("\"seq\":" + victim);
	}

	@Test
	void aTokenRevokedOnOneNodeIsRefusedByTheOtherWithinASecond() throws Exception {
		OAuthClient onA = new OAuthClient(nodes.a().url());
		OAuthClient onB = new OAuthClient(nodes.b().url());
		String token = onA.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"))
			.string("access_token");
		assertThat(onB.post("/oauth2/introspect", "backend", "backend-secret", Map.of("token", token)).json())
			.containsEntry("active", true);

		assertThat(onA.post("/oauth2/revoke", "backend", "backend-secret", Map.of("token", token)).status())
			.isEqualTo(200);
		long revokedAt = System.nanoTime();
		assertThat(onA.post("/oauth2/introspect", "backend", "backend-secret", Map.of("token", token)).json())
			.as("at once on the revoking node")
			.containsEntry("active", false);
		boolean refused = false;
		while (!refused && System.nanoTime() - revokedAt < 3_000_000_000L) {
			refused = Boolean.FALSE.equals(
					onB.post("/oauth2/introspect", "backend", "backend-secret", Map.of("token", token)).json().get("active"));
			if (!refused) {
				Thread.sleep(20);
			}
		}
		long millis = (System.nanoTime() - revokedAt) / 1_000_000;
		System.out.printf("revocation seen by the other node after %d ms%n", millis);
		assertThat(refused).isTrue();
		assertThat(millis).isLessThanOrEqualTo(1000);
	}

	private static long tokenEntries() throws Exception {
		return rows("SELECT COUNT(*) FROM audit_entry WHERE type = 'token.issued'");
	}

	private static long rows(String sql) throws Exception {
		try (Connection c = nodes.postgres().connect(); ResultSet rs = c.createStatement().executeQuery(sql)) {
			rs.next();
			return rs.getLong(1);
		}
	}

}
