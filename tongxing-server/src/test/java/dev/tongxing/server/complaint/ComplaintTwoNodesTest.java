package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.server.testing.TwoNodes;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two nodes on one PostgreSQL: a ticket opened on one is answered on the other, and when both run the
 * escalation check at the same moment, each level still goes out exactly once.
 */
class ComplaintTwoNodesTest {

	static final EscalationReceiver RECEIVER = new EscalationReceiver();

	static TwoNodes nodes;

	@BeforeAll
	static void startNodes() {
		nodes = TwoNodes.start(Map.of("tongxing.complaints.escalation.webhook-url", RECEIVER.url(),
				"tongxing.complaints.check-interval", "PT15M"));
	}

	@AfterAll
	static void stopNodes() throws Exception {
		if (nodes != null) {
			nodes.close();
		}
	}

	@Test
	void bothNodesCheckingAtOnceEscalateEachTicketOncePerLevel() throws Exception {
		List<String> numbers = new ArrayList<>();
		for (int i = 0; i < 3; i++) {
			numbers.add(open(nodes.a().url(), "user" + i + "@example.com"));
		}
		// as if two hours had passed: the deadline is behind us
		try (Connection db = nodes.postgres().connect();
				PreparedStatement past = db.prepareStatement("""
						UPDATE complaint_ticket SET created_at = created_at - INTERVAL '3 hours',
						    first_response_due = first_response_due - INTERVAL '3 hours'""")) {
			assertThat(past.executeUpdate()).isEqualTo(3);
		}
		EscalationCheck onA = nodes.a().bean(EscalationCheck.class);
		EscalationCheck onB = nodes.b().bean(EscalationCheck.class);
		CountDownLatch start = new CountDownLatch(1);
		try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
			List<Future<?>> runs = new ArrayList<>();
			for (EscalationCheck check : List.of(onA, onB, onA, onB)) {
				runs.add(pool.submit(() -> {
					start.await();
					check.check();
					return null;
				}));
			}
			start.countDown();
			for (Future<?> run : runs) {
				run.get();
			}
		}
		for (String number : numbers) {
			assertThat(RECEIVER.await(number, 1)).extracting(n -> n.path("level").asString()).containsExactly("breached");
		}
		Thread.sleep(300);
		assertThat(RECEIVER.calls()).isEqualTo(3);

		// answered on the other node, where the ticket was not opened; the row holds no clear text
		HttpResponse<String> reply = admin(nodes.b().url(), "/admin/api/complaints/" + numbers.get(0) + "/replies",
				"{\"message\":\"Sorry, we are on it.\"}");
		assertThat(reply.statusCode()).isEqualTo(201);
		assertThat(reply.body()).contains("\"answeredLate\":true");
		try (Connection db = nodes.postgres().connect();
				PreparedStatement row = db.prepareStatement(
						"SELECT contact_sealed, description_sealed FROM complaint_ticket WHERE number = ?")) {
			row.setString(1, numbers.get(0));
			try (ResultSet rs = row.executeQuery()) {
				assertThat(rs.next()).isTrue();
				assertThat(rs.getString(1)).doesNotContain("user0").doesNotContain("example.com");
				assertThat(rs.getString(2)).doesNotContain("two nodes");
			}
		}
	}

	static String open(String node, String contact) {
		TestBrowser browser = new TestBrowser(node);
		HttpResponse<String> posted = browser.submit(browser.get("/login/help"), "/login/help",
				Map.of("contact", contact, "method", "phone", "description", "Opened on one of two nodes"));
		assertThat(posted.statusCode()).isEqualTo(302);
		Matcher link = ComplaintGatewayTest.TICKET_LINK.matcher(posted.headers().firstValue("Location").orElseThrow());
		assertThat(link.find()).isTrue();
		return link.group(1);
	}

	static HttpResponse<String> admin(String node, String path, String json) throws Exception {
		try (HttpClient http = HttpClient.newHttpClient()) {
			return http.send(HttpRequest.newBuilder(URI.create(node + path))
				.header("Authorization", ComplaintGatewayTest.basic("admin", "admin"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers.ofString(json))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
	}

}
