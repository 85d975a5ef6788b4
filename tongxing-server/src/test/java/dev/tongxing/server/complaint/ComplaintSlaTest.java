package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Prometheus;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * The two-hour first-response clock: escalation near and past the deadline (advanced clock, a webhook receiver of
 * our own), retries, the operator's first reply stopping the clock, and the metrics as Prometheus scrapes them.
 */
class ComplaintSlaTest extends ComplaintGatewayTest {

	static final String SECRET_WORDS = "SECRET-WORDS 登录失败";

	@Autowired
	EscalationCheck escalations;

	@Test
	void anUnansweredTicketIsEscalatedOnceNearAndOncePastItsDeadline() {
		Prometheus before = Prometheus.scrape(this.issuer);
		Opened opened = submit("13800138000", SECRET_WORDS);
		JsonNode queued = adminJson("/admin/api/complaints").path("tickets").get(0);
		assertThat(queued.path("number").asString()).isEqualTo(opened.number());
		assertThat(queued.path("secondsLeft").asLong()).isBetween(7100L, 7200L);
		assertThat(queued.path("overdue").asBoolean()).isFalse();
		Instant due = Instant.parse(queued.path("firstResponseDue").asString());

		this.escalations.check();
		assertThat(RECEIVER.forTicket(opened.number())).isEmpty(); // two hours left: nothing to say
		assertThat(awaiting("near")).isZero();
		assertThat(awaiting("passed")).isZero();

		this.clock.advance(Duration.ofMinutes(91)); // 29 minutes left
		this.escalations.check();
		List<JsonNode> near = RECEIVER.await(opened.number(), 1);
		assertThat(near).hasSize(1);
		JsonNode first = near.get(0);
		assertThat(first.path("level").asString()).isEqualTo("near");
		assertThat(first.path("method").asString()).isEqualTo("wechat");
		assertThat(first.path("state").asString()).isEqualTo("open");
		assertThat(Instant.parse(first.path("firstResponseDue").asString())).isEqualTo(due);
		assertThat(first.path("secondsLeft").asLong()).isBetween(1700L, 1800L);
		assertThat(first.path("queue").asString()).isEqualTo(this.issuer + "/admin/complaints/" + opened.number());
		assertThat(first.path("_contentType").asString()).startsWith("application/json");
		// never the person's words or contact
		assertThat(first.path("_raw").asString()).doesNotContain("SECRET-WORDS").doesNotContain("13800138000")
			.doesNotContain("8613800138000");
		JsonNode nearInQueue = adminJson("/admin/api/complaints").path("tickets").get(0);
		assertThat(nearInQueue.path("near").asBoolean()).isTrue();
		assertThat(awaiting("near")).isEqualTo(1); // the alert TongxingComplaintNearDeadline fires
		assertThat(awaiting("passed")).isZero();

		this.escalations.check(); // once per level, however often the check runs
		this.clock.advance(Duration.ofMinutes(30)); // one minute overdue
		this.escalations.check();
		this.escalations.check();
		List<JsonNode> both = RECEIVER.await(opened.number(), 2);
		assertThat(both).extracting(n -> n.path("level").asString()).containsExactly("near", "breached");
		assertThat(both.get(1).path("secondsLeft").asLong()).isNegative();
		JsonNode overdue = adminJson("/admin/api/complaints").path("tickets").get(0);
		assertThat(overdue.path("overdue").asBoolean()).isTrue();
		assertThat(awaiting("near")).isZero();
		assertThat(awaiting("passed")).isEqualTo(1);
		// the person is told
		assertThat(browser().get(opened.path()).body()).contains("We are late answering you.");

		// the operator sees the escalations, then answers: late, so no stop to a breach already counted
		JsonNode ticket = adminJson("/admin/api/complaints/" + opened.number());
		assertThat(ticket.path("escalations").findValuesAsString("state")).containsExactly("sent", "sent");
		assertThat(reply(opened.number(), "Sorry for the wait.").statusCode()).isEqualTo(201);
		assertThat(awaiting("passed")).isZero(); // answered: the clock stopped

		Prometheus after = Prometheus.scrape(this.issuer);
		assertThat(after.sum("tongxing_complaints_sla_breaches_total"))
			.isEqualTo(before.sum("tongxing_complaints_sla_breaches_total") + 1);
		assertThat(after.sum("tongxing_complaints_escalations_total", Map.of("level", "near", "outcome", "sent")))
			.isEqualTo(before.sum("tongxing_complaints_escalations_total", Map.of("level", "near", "outcome", "sent")) + 1);
		assertThat(after.sum("tongxing_complaints_escalations_total", Map.of("level", "breached", "outcome", "sent")))
			.isEqualTo(before.sum("tongxing_complaints_escalations_total", Map.of("level", "breached", "outcome", "sent"))
					+ 1);
		assertThat(after.sum("tongxing_complaints_first_response_seconds_count", Map.of("within_sla", "false")))
			.isEqualTo(before.sum("tongxing_complaints_first_response_seconds_count", Map.of("within_sla", "false")) + 1);
	}

	double awaiting(String deadline) {
		return Prometheus.scrape(this.issuer).sum("tongxing_complaints_awaiting_first_response", Map.of("deadline", deadline));
	}

	@Test
	void theFirstReplyStopsTheClock() {
		Prometheus before = Prometheus.scrape(this.issuer);
		Opened answered = submit("a@example.com", "WeChat says the app is not authorised");
		Opened waiting = submit("b@example.com", "The SMS code never arrives");
		Prometheus opened = Prometheus.scrape(this.issuer);
		assertThat(opened.sum("tongxing_complaints_opened_total", Map.of("method", "wechat")))
			.isEqualTo(before.sum("tongxing_complaints_opened_total", Map.of("method", "wechat")) + 2);
		assertThat(opened.sum("tongxing_complaints_open", Map.of("state", "open"))).isEqualTo(2);

		this.clock.advance(Duration.ofMinutes(20));
		HttpResponse<String> reply = reply(answered.number(), "We are on it: WeChat suspended the app; phone login works.");
		assertThat(reply.statusCode()).isEqualTo(201);
		JsonNode summary = JSON.readTree(reply.body());
		assertThat(summary.path("state").asString()).isEqualTo("answered");
		assertThat(summary.path("firstResponseSeconds").asLong()).isBetween(1195L, 1260L);
		assertThat(summary.path("answeredLate").asBoolean()).isFalse();
		assertThat(summary.has("secondsLeft")).isFalse();
		// a second reply does not move the first-response time
		this.clock.advance(Duration.ofMinutes(10));
		JsonNode second = JSON.readTree(reply(answered.number(), "Fixed now.").body());
		assertThat(second.path("firstResponseSeconds").asLong()).isEqualTo(summary.path("firstResponseSeconds").asLong());

		// the queue: the waiting ticket first, by deadline; the answered one after it
		List<String> queue = adminJson("/admin/api/complaints").path("tickets").findValuesAsString("number");
		assertThat(queue).containsExactly(waiting.number(), answered.number());

		this.clock.advance(Duration.ofHours(3));
		this.escalations.check();
		assertThat(RECEIVER.await(waiting.number(), 1)).extracting(n -> n.path("level").asString())
			.containsExactly("breached"); // found already past: "near" is skipped, not sent late
		assertThat(RECEIVER.forTicket(answered.number())).isEmpty();

		Prometheus after = Prometheus.scrape(this.issuer);
		assertThat(after.sum("tongxing_complaints_first_response_seconds_count", Map.of("within_sla", "true")))
			.isEqualTo(before.sum("tongxing_complaints_first_response_seconds_count", Map.of("within_sla", "true")) + 1);
		assertThat(after.sum("tongxing_complaints_first_response_seconds_sum", Map.of("within_sla", "true")))
			.isGreaterThanOrEqualTo(before.sum("tongxing_complaints_first_response_seconds_sum", Map.of("within_sla", "true"))
					+ 1195);
		// a histogram: the 2-hour SLA is a bucket boundary
		assertThat(after.has("tongxing_complaints_first_response_seconds_bucket", Map.of("le", "7200.0"))).isTrue();
		assertThat(after.sum("tongxing_complaints_open", Map.of("state", "open"))).isEqualTo(1);
		assertThat(after.sum("tongxing_complaints_open", Map.of("state", "answered"))).isEqualTo(1);

		assertThat(admin("POST", "/admin/api/complaints/" + answered.number() + "/close", null).statusCode())
			.isEqualTo(200);
		assertThat(Prometheus.scrape(this.issuer).sum("tongxing_complaints_open", Map.of("state", "answered"))).isZero();
	}

	@Test
	void aFailedEscalationIsRetriedUntilTheReceiverTakesIt() {
		Prometheus before = Prometheus.scrape(this.issuer);
		Opened opened = submit("13800138000", "It keeps failing");
		RECEIVER.answer(503);
		this.clock.advance(Duration.ofMinutes(95));
		this.escalations.check();
		awaitCalls(1);
		JsonNode escalation = adminJson("/admin/api/complaints/" + opened.number()).path("escalations").get(0);
		assertThat(escalation.path("state").asString()).isEqualTo("failed");
		assertThat(escalation.path("lastError").asString()).isEqualTo("HTTP 503");

		this.escalations.check(); // the retry is not due yet
		assertThat(RECEIVER.calls()).isEqualTo(1);
		RECEIVER.answer(200);
		this.clock.advance(Duration.ofSeconds(31));
		this.escalations.check();
		assertThat(RECEIVER.await(opened.number(), 1)).hasSize(1);
		JsonNode sent = adminJson("/admin/api/complaints/" + opened.number()).path("escalations").get(0);
		assertThat(sent.path("state").asString()).isEqualTo("sent");
		assertThat(sent.path("attempts").asInt()).isEqualTo(2);
		Prometheus after = Prometheus.scrape(this.issuer);
		assertThat(after.sum("tongxing_complaints_escalations_total", Map.of("level", "near", "outcome", "failed")))
			.isEqualTo(before.sum("tongxing_complaints_escalations_total", Map.of("level", "near", "outcome", "failed")) + 1);
	}

	@Test
	void anEscalationThatKeepsFailingStopsAfterItsAttempts() {
		Opened opened = submit("13800138000", "It keeps failing");
		RECEIVER.answer(500);
		this.clock.advance(Duration.ofMinutes(95));
		for (int i = 0; i < 10; i++) {
			this.escalations.check();
			this.clock.advance(Duration.ofMinutes(5));
		}
		// attempts = 3 in this context; the breach level has its own three
		JsonNode ticket = adminJson("/admin/api/complaints/" + opened.number());
		assertThat(ticket.path("escalations").findValuesAsString("state")).containsOnly("failed");
		assertThat(ticket.path("escalations").findValues("attempts")).allMatch(n -> n.asInt() == 3);
	}

	void awaitCalls(int calls) {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (RECEIVER.calls() < calls && System.nanoTime() < deadline) {
			Thread.onSpinWait();
		}
		assertThat(RECEIVER.calls()).isEqualTo(calls);
	}

}
