package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.TwoNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Recycled phone numbers on PostgreSQL with two nodes: the new holder signing in on both nodes at once makes one
 * new account, and the number leaves the old one once (one record, one audit entry); a carrier signal posted to
 * one node is judged the same on the other.
 */
class RecycledPhoneNumberTwoNodesTest {

	@Test
	void twoNodesMovingTheSameNumberAtOnceMakeOneNewAccount() throws Exception {
		try (TwoNodes nodes = TwoNodes.start()) {
			AccountService a = nodes.a().bean(AccountService.class);
			AccountService b = nodes.b().bean(AccountService.class);
			String phone = RecycledPhoneNumberTest.newNumber();
			Instant then = Instant.now().minus(Duration.ofDays(800));
			String old = a.createImported(List.of(new IdentityKey("phone", phone)),
					new ExternalIdentity.Profile("Old owner", null, null), then, then, "test");

			ExternalIdentity proving = new ExternalIdentity("phone", phone, null);
			CyclicBarrier start = new CyclicBarrier(2);
			var threads = java.util.concurrent.Executors.newFixedThreadPool(2); // both at once, whatever the CPUs
			CompletableFuture<String> onA = CompletableFuture.supplyAsync(() -> signIn(a, proving, start), threads);
			CompletableFuture<String> onB = CompletableFuture.supplyAsync(() -> signIn(b, proving, start), threads);
			String first = onA.get(30, TimeUnit.SECONDS);
			String second = onB.get(30, TimeUnit.SECONDS);
			threads.shutdown();

			assertThat(first).isEqualTo(second).isNotEqualTo(old);
			assertThat(b.userFor(new IdentityKey("phone", phone))).contains(first);
			assertThat(a.releasedIdentifiers(old)).hasSize(1);
			JdbcClient jdbc = nodes.a().bean(JdbcClient.class);
			assertThat(jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'account.identifier-recycled' AND subject = :u")
				.param("u", old)
				.query(Long.class)
				.single()).isEqualTo(1L);
			assertThat(a.find(old).orElseThrow().displayName()).isEqualTo("Old owner");

			// a carrier signal posted to one node: the other node judges the number the same way
			String other = RecycledPhoneNumberTest.newNumber();
			String signedUp = b.signIn(new ExternalIdentity("phone", other, null)).id();
			jdbc.sql("UPDATE account_identity SET created_at = :at WHERE user_id = :u")
				.param("at", Instant.now().minus(Duration.ofDays(30)).atOffset(java.time.ZoneOffset.UTC))
				.param("u", signedUp)
				.update();
			HttpResponse<String> reported = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create(nodes.a().url() + "/admin/api/phone-numbers/recycled"))
					.header("Authorization",
							"Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
					.header("Content-Type", "application/json")
					.POST(HttpRequest.BodyPublishers.ofString("{\"numbers\":[\"" + other + "\"],\"recycled_on\":\""
							+ LocalDate.now(ZoneId.of("Asia/Shanghai")) + "\"}"))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(reported.statusCode()).as(reported.body()).isEqualTo(200);
			assertThat(reported.body()).contains("\"recorded\":1").contains("\"released\":1");
			String newHolder = b.signIn(new ExternalIdentity("phone", other, null)).id();
			assertThat(newHolder).isNotEqualTo(signedUp);
			assertThat(b.releasedIdentifiers(signedUp)).singleElement()
				.satisfies(r -> assertThat(r.reason()).isEqualTo("carrier-signal"));
		}
	}

	private static String signIn(AccountService accounts, ExternalIdentity identity, CyclicBarrier start) {
		try {
			start.await(10, TimeUnit.SECONDS);
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
		return accounts.signIn(identity).id();
	}

}
