package dev.tongxing.server.ratelimit;

import dev.tongxing.server.testing.OAuthClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** Many client_credentials token requests at once, spread over one or more nodes, and what came back. */
record TokenBurst(List<OAuthClient.Reply> replies, long elapsedNanos) {

	static TokenBurst fire(List<String> issuers, String clientId, String secret, int count) throws Exception {
		List<OAuthClient> nodes = issuers.stream().map(OAuthClient::new).toList();
		List<Future<OAuthClient.Reply>> futures = new ArrayList<>();
		long start = System.nanoTime();
		try (ExecutorService pool = Executors.newFixedThreadPool(16)) {
			for (int i = 0; i < count; i++) {
				OAuthClient node = nodes.get(i % nodes.size());
				futures.add(pool.submit(() -> node.post("/oauth2/token", clientId, secret,
						Map.of("grant_type", "client_credentials"))));
			}
			List<OAuthClient.Reply> replies = new ArrayList<>();
			for (Future<OAuthClient.Reply> future : futures) {
				replies.add(future.get());
			}
			return new TokenBurst(replies, System.nanoTime() - start);
		}
	}

	long count(int status) {
		return this.replies.stream().filter(r -> r.status() == status).count();
	}

}
