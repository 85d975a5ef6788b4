package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.server.testing.TwoNodes;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Delivery receipts from fakes of Tencent Cloud SMS and Aliyun, on two gateway nodes sharing one PostgreSQL: a
 * receipt pushed to either node finds its send (made by either), is counted once, and a provider whose messages
 * stop arriving (accepted, never delivered) is demoted on both nodes alike — the next codes go to the other
 * provider first — until its receipts come back. Pushes without the receipt token are refused, broken ones too.
 */
class SmsDeliveryReceiptsTest {

	static final String TENCENT_TOKEN = "tencent-receipts-7f3a9c2e";

	static final String ALIYUN_TOKEN = "aliyun-receipts-41d8b6e0";

	/** Both nodes' clock, and the fakes': the receipt wait passes without waiting. */
	static final MutableClock CLOCK = new MutableClock();

	static FakeTencentSms tencent;

	static FakeAliyunSms aliyun;

	static TwoNodes nodes;

	static GatewayNode a;

	static GatewayNode b;

	/** Given to {@code GatewayNode.start} as a source; not annotated, so no component scan picks it up. */
	static class SharedClock {

		@Bean
		@Primary
		Clock sharedTestClock() {
			return CLOCK;
		}

	}

	@BeforeAll
	static void start() {
		tencent = new FakeTencentSms("AKIDtest", "tencent-secret", CLOCK);
		aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", CLOCK);
		Map<String, Object> properties = new HashMap<>();
		properties.put("tongxing.sms.providers", "tencent,aliyun");
		properties.put("tongxing.sms.tencent.secret-id", "AKIDtest");
		properties.put("tongxing.sms.tencent.secret-key", "tencent-secret");
		properties.put("tongxing.sms.tencent.sdk-app-id", "1400000001");
		properties.put("tongxing.sms.tencent.sign-name", "通行");
		properties.put("tongxing.sms.tencent.template-id", "1234567");
		properties.put("tongxing.sms.tencent.endpoint", tencent.uri().toString());
		properties.put("tongxing.sms.tencent.receipt-token", TENCENT_TOKEN);
		properties.put("tongxing.sms.aliyun.access-key-id", "LTAItest");
		properties.put("tongxing.sms.aliyun.access-key-secret", "aliyun-secret");
		properties.put("tongxing.sms.aliyun.sign-name", "通行");
		properties.put("tongxing.sms.aliyun.template-code", "SMS_0001");
		properties.put("tongxing.sms.aliyun.endpoint", aliyun.uri().toString());
		properties.put("tongxing.sms.aliyun.receipt-token", ALIYUN_TOKEN);
		properties.put("tongxing.sms.delivery.window", "PT30M");
		properties.put("tongxing.sms.delivery.receipt-wait", "PT2M");
		properties.put("tongxing.sms.delivery.minimum-sends", "3");
		properties.put("tongxing.sms.delivery.failure-threshold", "0.5");
		// the tests judge when they mean to; the scheduled check stays away
		properties.put("tongxing.sms.delivery.check-interval", "PT1H");
		nodes = TwoNodes.start(properties, SharedClock.class);
		a = nodes.a();
		b = nodes.b();
	}

	@AfterAll
	static void stop() throws Exception {
		try {
			if (nodes != null) {
				nodes.close();
			}
		}
		finally {
			tencent.close();
			aliyun.close();
		}
	}

	@BeforeEach
	void freshRecords() {
		CLOCK.reset();
		a.bean(JdbcClient.class).sql("DELETE FROM sms_delivery").update();
		judge();
	}

	static URI callback(GatewayNode node, String provider, String token) {
		return URI.create(node.url() + "/sms/receipts/" + provider + (token == null ? "" : "?token=" + token));
	}

	static void send(GatewayNode node) {
		node.bean(SmsSender.class)
			.send(new SmsMessage("+8613800138000", "042917", "Your code is 042917.", SmsMessage.VERIFICATION_CODE));
	}

	/** Both nodes judge the providers again, as each does every check-interval. */
	static void judge() {
		a.bean(SmsDeliveryHealth.class).refresh();
		b.bean(SmsDeliveryHealth.class).refresh();
	}

	static List<String> last(List<String> ids, int n) {
		return List.copyOf(ids.subList(ids.size() - n, ids.size()));
	}

	static double delivered(GatewayNode node, String provider, String outcome) {
		return Prometheus.scrape(node.url())
			.sum("tongxing_sms_delivery_total", Map.of("provider", provider, "outcome", outcome));
	}

	@Test
	void receiptsFindTheirSendsOnEitherNodeAndAreCountedOnce() {
		send(a);
		send(b);
		List<String> sent = last(tencent.serials, 2);
		double deliveredBefore = delivered(b, "tencent", "delivered");
		double failedBefore = delivered(b, "tencent", "failed");

		HttpResponse<String> ok = tencent.pushReceipts(callback(b, "tencent", TENCENT_TOKEN), sent.subList(0, 1), true);
		assertThat(ok.statusCode()).isEqualTo(200);
		JsonNode answer = JsonMapper.shared().readTree(ok.body());
		assertThat(answer.path("result").asInt(-1)).isZero(); // Tencent's "taken, do not push again"
		assertThat(tencent.pushReceipts(callback(b, "tencent", TENCENT_TOKEN), sent.subList(1, 2), false).statusCode())
			.isEqualTo(200);
		// pushed again (a provider that did not hear our answer): nothing changes
		assertThat(tencent.pushReceipts(callback(a, "tencent", TENCENT_TOKEN), sent, true).statusCode()).isEqualTo(200);

		assertThat(delivered(b, "tencent", "delivered")).isEqualTo(deliveredBefore + 1);
		assertThat(delivered(b, "tencent", "failed")).isEqualTo(failedBefore + 1);
		JdbcClient jdbc = a.bean(JdbcClient.class);
		assertThat(jdbc.sql("SELECT message_id, outcome FROM sms_delivery WHERE provider = 'tencent' ORDER BY message_id")
			.query((rs, i) -> rs.getString(1) + "=" + rs.getString(2))
			.list()).containsExactly(sent.get(0) + "=delivered", sent.get(1) + "=failed");
		// the number is nowhere: only the provider's id of each message
		assertThat(jdbc.sql("SELECT COUNT(*) FROM sms_delivery WHERE message_id LIKE '%13800138000%' "
				+ "OR receipt_code LIKE '%13800138000%'").query(Long.class).single()).isZero();

		// a report for a message we never sent is taken (nothing to push again) but matches nothing
		double aliyunBefore = delivered(a, "aliyun", "delivered");
		HttpResponse<String> unknown = aliyun.pushReceipts(callback(a, "aliyun", ALIYUN_TOKEN), List.of("1^0"), true);
		assertThat(unknown.statusCode()).isEqualTo(200);
		assertThat(JsonMapper.shared().readTree(unknown.body()).path("code").asInt(-1)).isZero(); // Aliyun's shape
		assertThat(delivered(a, "aliyun", "delivered")).isEqualTo(aliyunBefore);
	}

	@Test
	void aPushWithoutTheTokenIsRefusedAndABrokenOneSaysWhy() {
		send(a);
		List<String> sent = last(tencent.serials, 1);
		HttpResponse<String> wrong = tencent.pushReceipts(callback(a, "tencent", "not-the-receipt-token"), sent, true);
		assertThat(wrong.statusCode()).isEqualTo(401);
		assertThat(wrong.body()).contains("receipt token").doesNotContain("Exception").doesNotContain("at dev.");
		assertThat(tencent.pushReceipts(callback(a, "tencent", null), sent, true).statusCode()).isEqualTo(401);
		// one provider's token does not open the other's door
		assertThat(tencent.pushReceipts(callback(a, "tencent", ALIYUN_TOKEN), sent, true).statusCode()).isEqualTo(401);
		assertThat(aliyun.pushReceipts(callback(b, "aliyun", TENCENT_TOKEN), List.of("1^0"), true).statusCode())
			.isEqualTo(401);
		// a refused push changed nothing
		assertThat(a.bean(JdbcClient.class).sql("SELECT COUNT(*) FROM sms_delivery WHERE outcome IS NOT NULL")
			.query(Long.class)
			.single()).isZero();
		// the token is checked before the body is even parsed
		assertThat(Receipts.post(callback(a, "tencent", "wrong-token-wrong-token"), "{not json").statusCode())
			.isEqualTo(401);

		HttpResponse<String> notJson = Receipts.post(callback(a, "tencent", TENCENT_TOKEN), "{not json");
		assertThat(notJson.statusCode()).isEqualTo(400);
		assertThat(JsonMapper.shared().readTree(notJson.body()).path("errmsg").asString()).contains("not JSON");
		assertThat(notJson.body()).doesNotContain("Exception");
		HttpResponse<String> noStatus = Receipts.post(callback(a, "tencent", TENCENT_TOKEN),
				"[{\"sid\":\"" + sent.get(0) + "\",\"report_status\":\"MAYBE\"}]");
		assertThat(noStatus.statusCode()).isEqualTo(400);
		assertThat(noStatus.body()).contains("report_status");
		HttpResponse<String> object = Receipts.post(callback(b, "aliyun", ALIYUN_TOKEN), "{\"biz_id\":\"1^0\"}");
		assertThat(object.statusCode()).isEqualTo(400);
		assertThat(JsonMapper.shared().readTree(object.body()).path("msg").asString()).contains("JSON array");
		HttpResponse<String> huge = Receipts.post(callback(b, "aliyun", ALIYUN_TOKEN),
				"[" + "{\"biz_id\":\"1^0\",\"success\":true},".repeat(20_000) + "{}]");
		assertThat(huge.statusCode()).isEqualTo(413);
		assertThat(a.bean(JdbcClient.class).sql("SELECT COUNT(*) FROM sms_delivery WHERE outcome IS NOT NULL")
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void aProviderThatAcceptsButNeverDeliversIsDemotedOnBothNodesUntilItsReceiptsComeBack() {
		for (int i = 0; i < 3; i++) {
			send(i % 2 == 0 ? a : b);
		}
		List<String> silent = last(tencent.serials, 3);
		judge();
		assertThat(a.bean(SmsDeliveryHealth.class).demoted("tencent")).as("no receipt is due yet").isFalse();

		CLOCK.advance(Duration.ofMinutes(3)); // past the receipt wait: three sends due, none delivered
		judge();
		for (GatewayNode node : List.of(a, b)) {
			assertThat(node.bean(SmsDeliveryHealth.class).demoted("tencent")).isTrue();
			assertThat(node.bean(SmsDeliveryHealth.class).demoted("aliyun")).isFalse();
			assertThat(((FailoverSmsSender) node.bean(SmsSender.class)).order()).extracting(SmsSender::name)
				.containsExactly("aliyun", "tencent");
			Prometheus metrics = Prometheus.scrape(node.url());
			assertThat(metrics.sum("tongxing_sms_provider_demoted", Map.of("provider", "tencent"))).isEqualTo(1);
			assertThat(metrics.sum("tongxing_sms_receipts_awaiting", Map.of("provider", "tencent"))).isEqualTo(3);
		}
		int tencentSends = tencent.accepted.size();
		int aliyunSends = aliyun.accepted.size();
		send(b);
		send(a);
		assertThat(aliyun.accepted).as("the next codes go to the provider that delivers").hasSize(aliyunSends + 2);
		assertThat(tencent.accepted).hasSize(tencentSends);
		double aliyunDelivered = delivered(a, "aliyun", "delivered");
		assertThat(aliyun.pushReceipts(callback(a, "aliyun", ALIYUN_TOKEN), last(aliyun.bizIds, 2), true).statusCode())
			.isEqualTo(200);
		assertThat(delivered(a, "aliyun", "delivered")).as("Aliyun's receipts find its sends").isEqualTo(aliyunDelivered + 2);

		// Tencent's messages arrive after all: its late receipts restore it on both nodes
		assertThat(tencent.pushReceipts(callback(b, "tencent", TENCENT_TOKEN), silent, true).statusCode()).isEqualTo(200);
		judge();
		for (GatewayNode node : List.of(a, b)) {
			assertThat(node.bean(SmsDeliveryHealth.class).demoted("tencent")).isFalse();
			assertThat(Prometheus.scrape(node.url()).sum("tongxing_sms_provider_demoted", Map.of("provider", "tencent")))
				.isZero();
		}
		send(a);
		assertThat(tencent.accepted).as("tried first again").hasSize(tencentSends + 1);
	}

	@Test
	void failedReceiptsAboveTheThresholdDemoteToo() {
		for (int i = 0; i < 4; i++) {
			send(a);
		}
		List<String> sent = last(tencent.serials, 4);
		tencent.pushReceipts(callback(a, "tencent", TENCENT_TOKEN), sent.subList(0, 1), true);
		tencent.pushReceipts(callback(b, "tencent", TENCENT_TOKEN), sent.subList(1, 3), false);
		CLOCK.advance(Duration.ofMinutes(3));
		judge();
		// one of four delivered, two failed, one silent: three of four not delivered, over one half
		assertThat(a.bean(SmsDeliveryHealth.class).verdict("tencent").counts())
			.isEqualTo(new SmsDeliveries.Counts(4, 4, 1, 2, 1));
		assertThat(b.bean(SmsDeliveryHealth.class).demoted("tencent")).isTrue();
		tencent.pushReceipts(callback(b, "tencent", TENCENT_TOKEN), sent.subList(3, 4), true);
		judge();
		// two of four delivered: still half not delivered, at the threshold
		assertThat(a.bean(SmsDeliveryHealth.class).demoted("tencent")).isTrue();
	}

	@Test
	void fewerSendsThanTheMinimumSayNothing() {
		send(a);
		send(b);
		CLOCK.advance(Duration.ofMinutes(3));
		judge();
		assertThat(a.bean(SmsDeliveryHealth.class).verdict("tencent").counts().due()).isEqualTo(2);
		assertThat(a.bean(SmsDeliveryHealth.class).demoted("tencent")).isFalse();
	}

	@Test
	void rowsPastTheRetentionArePurgedAndThePurgeIsAudited() {
		JdbcClient jdbc = a.bean(JdbcClient.class);
		Instant old = CLOCK.instant().minus(Duration.ofDays(8));
		jdbc.sql("INSERT INTO sms_delivery (provider, message_id, sent_at) VALUES ('tencent', 'old-1', :at)")
			.param("at", old.atOffset(ZoneOffset.UTC))
			.update();
		send(a);
		long purges = purges(jdbc);
		b.bean(SmsDeliveries.class).purge();
		assertThat(jdbc.sql("SELECT message_id FROM sms_delivery").query(String.class).list())
			.containsExactly(tencent.serials.get(tencent.serials.size() - 1));
		assertThat(purges(jdbc)).isEqualTo(purges + 1);
		b.bean(SmsDeliveries.class).purge(); // nothing left to delete: no entry
		assertThat(purges(jdbc)).isEqualTo(purges + 1);
	}

	static long purges(JdbcClient jdbc) {
		return jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'retention.purged' AND details LIKE '%sms-deliveries%'")
			.query(Long.class)
			.single();
	}

}
