package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import java.net.URI;
import java.time.Clock;
import dev.tongxing.server.resilience.UpstreamCalls;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each HTTP sender against a local stand-in for its provider. */
class SmsSendersTest {

	static final SmsMessage MESSAGE = new SmsMessage("+8613800138000", "042917",
			"Your Tongxing verification code is 042917.", SmsMessage.VERIFICATION_CODE);

	final JsonMapper json = JsonMapper.builder().build();

	final Clock clock = Clock.systemUTC();

	final SmsHttp http = new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "test");

	@Test
	void tencentSendsASignedSendSmsThatTheServiceAccepts() {
		try (FakeTencentSms tencent = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock)) {
			sender(tencent.uri(), "tencent-secret").send(MESSAGE);
			assertThat(tencent.refusals).isEmpty();
			assertThat(tencent.accepted).hasSize(1);
			JsonNode request = tencent.accepted.get(0);
			assertThat(request.path("PhoneNumberSet").path(0).asString()).isEqualTo("+8613800138000");
			assertThat(request.path("SmsSdkAppId").asString()).isEqualTo("1400000001");
			assertThat(request.path("SignName").asString()).isEqualTo("通行");
			assertThat(request.path("TemplateId").asString()).isEqualTo("1234567");
			assertThat(request.path("TemplateParamSet").path(0).asString()).isEqualTo("042917");
		}
	}

	@Test
	void tencentRefusesAWrongSignatureAndTheSenderSaysSo() {
		try (FakeTencentSms tencent = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock)) {
			assertThatThrownBy(() -> sender(tencent.uri(), "not-the-secret").send(MESSAGE))
				.isInstanceOf(SmsDeliveryException.class)
				.hasMessageContaining("AuthFailure.SignatureFailure");
			assertThat(tencent.accepted).isEmpty();
		}
	}

	@Test
	void tencentRefusesAStaleTimestamp() {
		try (FakeTencentSms tencent = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock)) {
			Clock late = Clock.offset(this.clock, Duration.ofMinutes(-10));
			assertThatThrownBy(() -> new TencentSmsSender(tencentConfig(tencent.uri(), "tencent-secret"), this.http,
					this.json, late)
				.send(MESSAGE)).hasMessageContaining("AuthFailure.SignatureExpire");
		}
	}

	TencentSmsSender sender(URI endpoint, String secret) {
		return new TencentSmsSender(tencentConfig(endpoint, secret), this.http, this.json, this.clock);
	}

	static SmsProperties.Tencent tencentConfig(URI endpoint, String secret) {
		return new SmsProperties.Tencent("AKIDtest", secret, "1400000001", "通行", "1234567", "ap-guangzhou", endpoint);
	}

	@Test
	void aliyunSendsASignedSendSmsThatTheServiceAccepts() {
		try (FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			aliyunSender(aliyun.uri(), "aliyun-secret").send(MESSAGE);
			aliyunSender(aliyun.uri(), "aliyun-secret").send(MESSAGE); // a fresh nonce each time
			assertThat(aliyun.refusals).isEmpty();
			assertThat(aliyun.accepted).hasSize(2);
			var form = aliyun.accepted.get(0);
			assertThat(form).containsEntry("PhoneNumbers", "8613800138000")
				.containsEntry("SignName", "通行")
				.containsEntry("TemplateCode", "SMS_0001")
				.containsEntry("TemplateParam", "{\"code\":\"042917\"}")
				.containsEntry("Format", "JSON");
		}
	}

	@Test
	void aliyunRefusesAWrongSignatureAndTheSenderSaysSo() {
		try (FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			assertThatThrownBy(() -> aliyunSender(aliyun.uri(), "not-the-secret").send(MESSAGE))
				.isInstanceOf(SmsDeliveryException.class)
				.hasMessageContaining("SignatureDoesNotMatch");
			assertThat(aliyun.accepted).isEmpty();
		}
	}

	AliyunSmsSender aliyunSender(URI endpoint, String secret) {
		return new AliyunSmsSender(
				new SmsProperties.Aliyun("LTAItest", secret, "通行", "SMS_0001", "cn-hangzhou", endpoint), this.http,
				this.json, this.clock);
	}

	@Test
	void webhookPostsTheMessageAsJson() {
		List<JsonNode> received = new CopyOnWriteArrayList<>();
		List<String> contentTypes = new CopyOnWriteArrayList<>();
		try (FakeHttpServer hook = new FakeHttpServer() {
			@Override
			Reply handle(HttpExchange exchange, String body) {
				contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
				received.add(JsonMapper.builder().build().readTree(body));
				return new Reply(204, "text/plain", "");
			}
		}) {
			new WebhookSmsSender(hook.uri().resolve("/sms"), this.http, this.json).send(MESSAGE);
			assertThat(contentTypes).containsExactly("application/json; charset=utf-8");
			JsonNode body = received.get(0);
			assertThat(body.path("phone").asString()).isEqualTo("+8613800138000");
			assertThat(body.path("code").asString()).isEqualTo("042917");
			assertThat(body.path("text").asString()).isEqualTo("Your Tongxing verification code is 042917.");
			assertThat(body.path("template").asString()).isEqualTo("verification-code");
		}
	}

	/** A Tencent endpoint that answers every request with HTTP 200 and this error code, counting requests. */
	static FakeHttpServer tencentAnswering(String code, java.util.concurrent.atomic.AtomicInteger requests) {
		return new FakeHttpServer() {
			@Override
			Reply handle(HttpExchange exchange, String body) {
				requests.incrementAndGet();
				return Reply.json(200, "{\"Response\":{\"Error\":{\"Code\":\"" + code
						+ "\",\"Message\":\"from the fake\"},\"RequestId\":\"req-9\"}}");
			}
		};
	}

	@Test
	void tencentsOwnTroubleInAnHttp200CountsAgainstItsBreaker() {
		java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
		SmsHttp guarded = new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "tencent-own-trouble");
		try (FakeHttpServer tencent = tencentAnswering("InternalError.Timeout", requests)) {
			TencentSmsSender sender = new TencentSmsSender(tencentConfig(tencent.uri(), "s"), guarded, this.json,
					this.clock);
			SmsDeliveryException first = catchThrowableOfType(SmsDeliveryException.class, () -> sender.send(MESSAGE));
			assertThat(first.upstreamError()).isEqualTo("InternalError.Timeout");
			assertThat(first.failureCause()).isEqualTo(dev.tongxing.server.login.LoginFailureCause.UPSTREAM_UNAVAILABLE);
			SmsDeliveryException last = first;
			for (int i = 0; i < 30; i++) {
				last = catchThrowableOfType(SmsDeliveryException.class, () -> sender.send(MESSAGE));
			}
			// every answer said HTTP 200, yet the breaker opened and spared Tencent the rest
			assertThat(last.upstreamError()).isEqualTo("circuit_open");
			assertThat(requests.get()).isLessThan(31);
		}
	}

	@Test
	void tencentsCodesSayWhoseTroubleItIs() {
		java.util.concurrent.atomic.AtomicInteger requests = new java.util.concurrent.atomic.AtomicInteger();
		Map<String, dev.tongxing.server.login.LoginFailureCause> expected = Map.of(
				"LimitExceeded.PhoneNumberDailyLimit", dev.tongxing.server.login.LoginFailureCause.UPSTREAM_RATE_LIMITED,
				"InvalidParameterValue.IncorrectPhoneNumber", dev.tongxing.server.login.LoginFailureCause.USER_INPUT,
				"FailedOperation.SignatureIncorrectOrUnapproved",
				dev.tongxing.server.login.LoginFailureCause.OUR_CONFIGURATION);
		expected.forEach((code, cause) -> {
			try (FakeHttpServer tencent = tencentAnswering(code, requests)) {
				SmsDeliveryException refused = catchThrowableOfType(SmsDeliveryException.class,
						() -> sender(tencent.uri(), "s").send(MESSAGE));
				assertThat(refused.upstreamError()).isEqualTo(code);
				assertThat(refused.failureCause()).as(code).isEqualTo(cause);
			}
		});
	}

	@Test
	void webhookErrorsAreFailures() {
		try (FakeHttpServer hook = new FakeHttpServer() {
			@Override
			Reply handle(HttpExchange exchange, String body) {
				return new Reply(503, "text/plain", "busy");
			}
		}) {
			assertThatThrownBy(() -> new WebhookSmsSender(hook.uri(), this.http, this.json).send(MESSAGE))
				.isInstanceOf(SmsDeliveryException.class)
				.hasMessageContaining("HTTP 503")
				.hasMessageNotContaining("042917");
		}
	}

	@Test
	void webhookThatNeverAnswersTimesOut() {
		CountDownLatch release = new CountDownLatch(1);
		try (FakeHttpServer hook = new FakeHttpServer() {
			@Override
			Reply handle(HttpExchange exchange, String body) throws java.io.IOException {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return new Reply(200, "text/plain", "");
			}
		}) {
			SmsHttp impatient = new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofMillis(300), "webhook");
			assertThatThrownBy(() -> new WebhookSmsSender(hook.uri(), impatient, this.json).send(MESSAGE))
				.isInstanceOf(SmsDeliveryException.class)
				.hasMessageContaining("did not answer")
				.satisfies(ex -> assertThat(((SmsDeliveryException) ex).upstreamError()).isEqualTo("timeout"));
			release.countDown();
		}
	}

	@Test
	void unreachableWebhookIsAFailure() {
		URI nobody = URI.create("http://127.0.0.1:" + dev.tongxing.server.testing.FreePort.find() + "/sms");
		assertThatThrownBy(() -> new WebhookSmsSender(nobody, this.http, this.json).send(MESSAGE))
			.isInstanceOf(SmsDeliveryException.class);
	}

	@Test
	void messagesKeepTheirCodeOutOfLogs() {
		assertThat(MESSAGE.toString()).doesNotContain("042917");
	}

}
