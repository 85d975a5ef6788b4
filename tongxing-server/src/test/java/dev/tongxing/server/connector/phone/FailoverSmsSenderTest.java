package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.sun.net.httpserver.HttpExchange;
import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.server.testing.FreePort;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fail-over between SMS providers against fakes of Tencent Cloud and Aliyun: on to the next provider when the
 * first is known not to have sent the code, never when it may have (nobody gets two codes for one request).
 */
class FailoverSmsSenderTest {

	final JsonMapper json = JsonMapper.builder().build();

	final Clock clock = Clock.systemUTC();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	FailoverSmsSender failover(URI tencent, URI aliyun, Duration timeout, Predicate<String> healthy) {
		SmsHttp tencentHttp = new SmsHttp(UpstreamCalls.withDefaults(), timeout, "tencent");
		SmsHttp aliyunHttp = new SmsHttp(UpstreamCalls.withDefaults(), timeout, "aliyun");
		return new FailoverSmsSender(List.of(
				new TencentSmsSender(SmsSendersTest.tencentConfig(tencent, "s"), tencentHttp, this.json, this.clock),
				new AliyunSmsSender(new SmsProperties.Aliyun("LTAItest", "aliyun-secret", "通行", "SMS_0001",
						"cn-hangzhou", aliyun), aliyunHttp, this.json, this.clock)), healthy, this.meters);
	}

	double failovers() {
		var counter = this.meters.find("tongxing_sms_failover_total").tag("to", "aliyun").counter();
		return counter == null ? 0 : counter.count();
	}

	@Test
	void aProviderInTroubleHandsTheCodeToTheNextAtOnce() {
		AtomicInteger tencentRequests = new AtomicInteger();
		try (FakeHttpServer tencent = SmsSendersTest.tencentAnswering("InternalError.Timeout", tencentRequests);
				FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			failover(tencent.uri(), aliyun.uri(), Duration.ofSeconds(2), name -> true).send(SmsSendersTest.MESSAGE);
			assertThat(tencentRequests).hasValue(1);
			assertThat(aliyun.accepted).hasSize(1);
			assertThat(failovers()).isEqualTo(1);
		}
	}

	@Test
	void aProviderThatRefusesOurConfigurationOrIsOutOfQuotaIsFollowedToo() {
		for (String code : List.of("AuthFailure.SecretIdNotFound", "LimitExceeded.PhoneNumberDailyLimit")) {
			AtomicInteger tencentRequests = new AtomicInteger();
			try (FakeHttpServer tencent = SmsSendersTest.tencentAnswering(code, tencentRequests);
					FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
				failover(tencent.uri(), aliyun.uri(), Duration.ofSeconds(2), name -> true).send(SmsSendersTest.MESSAGE);
				assertThat(aliyun.accepted).as(code).hasSize(1);
			}
		}
	}

	@Test
	void anUnreachableProviderIsFollowed() {
		try (FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			URI nobody = URI.create("http://127.0.0.1:" + FreePort.find() + "/");
			failover(nobody, aliyun.uri(), Duration.ofSeconds(2), name -> true).send(SmsSendersTest.MESSAGE);
			assertThat(aliyun.accepted).hasSize(1);
		}
	}

	@Test
	void aProviderThatMayHaveSentTheCodeIsNotFollowed() {
		CountDownLatch release = new CountDownLatch(1);
		try (FakeHttpServer slow = new FakeHttpServer() {
			@Override
			Reply handle(HttpExchange exchange, String body) {
				try {
					release.await(10, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				return Reply.json(200, "{\"Response\":{\"SendStatusSet\":[],\"RequestId\":\"r\"}}");
			}
		}; FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			FailoverSmsSender sender = failover(slow.uri(), aliyun.uri(), Duration.ofMillis(300), name -> true);
			SmsDeliveryException failed = catchThrowableOfType(SmsDeliveryException.class,
					() -> sender.send(SmsSendersTest.MESSAGE));
			assertThat(failed.upstreamError()).isEqualTo("tencent timeout");
			assertThat(sender.failureRecord(failed)).isEqualTo("tencent timeout");
			assertThat(aliyun.accepted).isEmpty();
			release.countDown();
		}
	}

	@Test
	void aNumberTheProviderSaysIsNoMobileNumberIsNotTriedElsewhere() {
		AtomicInteger tencentRequests = new AtomicInteger();
		try (FakeHttpServer tencent = SmsSendersTest.tencentAnswering("InvalidParameterValue.IncorrectPhoneNumber",
				tencentRequests); FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			assertThatThrownBy(() -> failover(tencent.uri(), aliyun.uri(), Duration.ofSeconds(2), name -> true)
				.send(SmsSendersTest.MESSAGE)).isInstanceOf(SmsDeliveryException.class);
			assertThat(aliyun.accepted).isEmpty();
		}
	}

	@Test
	void aProviderWhoseBreakerIsOpenGoesLast() {
		AtomicInteger tencentRequests = new AtomicInteger();
		try (FakeHttpServer tencent = SmsSendersTest.tencentAnswering("InternalError.Timeout", tencentRequests);
				FakeAliyunSms aliyun = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			FailoverSmsSender sender = failover(tencent.uri(), aliyun.uri(), Duration.ofSeconds(2),
					name -> !name.equals("tencent"));
			assertThat(sender.order()).extracting(SmsSender::name).containsExactly("aliyun", "tencent");
			sender.send(SmsSendersTest.MESSAGE);
			assertThat(tencentRequests).hasValue(0);
			assertThat(sender.probes().keySet()).containsExactly("tencent", "aliyun");
		}
	}

	static SmsSender named(String name) {
		return new SmsSender() {
			@Override
			public void send(SmsMessage message) {
				throw new SmsDeliveryException("not called in this test");
			}

			@Override
			public String name() {
				return name;
			}
		};
	}

	@Test
	void aDemotedProviderGoesAfterTheHealthyOnesAndBeforeThoseWhoseBreakerIsOpen() {
		FailoverSmsSender sender = new FailoverSmsSender(
				List.of(named("tencent"), named("aliyun"), named("webhook")), name -> !name.equals("aliyun"),
				name -> name.equals("tencent") || name.equals("aliyun"), this.meters);
		assertThat(sender.order()).extracting(SmsSender::name).containsExactly("webhook", "tencent", "aliyun");
	}

	@Test
	void aDemotedProviderStillSendsWhenTheHealthyOneIsKnownNotTo() {
		AtomicInteger aliyunRequests = new AtomicInteger();
		try (FakeTencentSms tencent = new FakeTencentSms("AKIDtest", "s", this.clock);
				FakeHttpServer aliyun = new FakeHttpServer() {
					@Override
					Reply handle(HttpExchange exchange, String body) {
						aliyunRequests.incrementAndGet();
						return Reply.json(200, "{\"Code\":\"isp.SYSTEM_ERROR\",\"Message\":\"busy\",\"RequestId\":\"r\"}");
					}
				}) {
			SmsHttp tencentHttp = new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "tencent");
			SmsHttp aliyunHttp = new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "aliyun");
			FailoverSmsSender sender = new FailoverSmsSender(List.of(
					new TencentSmsSender(SmsSendersTest.tencentConfig(tencent.uri(), "s"), tencentHttp, this.json,
							this.clock),
					new AliyunSmsSender(new SmsProperties.Aliyun("LTAItest", "aliyun-secret", "通行", "SMS_0001",
							"cn-hangzhou", aliyun.uri()), aliyunHttp, this.json, this.clock)),
					name -> true, name -> name.equals("tencent"), this.meters);
			sender.send(SmsSendersTest.MESSAGE);
			assertThat(aliyunRequests).as("the healthy provider first").hasValue(1);
			assertThat(tencent.accepted).as("then the demoted one, which may still deliver").hasSize(1);
		}
	}

	@Test
	void aReceiptTokenMustBeLongEnoughNotToBeGuessed() {
		assertThatThrownBy(() -> new SmsProperties.Tencent("AKIDtest", "s", "1400000001", "通行", "1", "ap-guangzhou",
				URI.create("https://sms.tencentcloudapi.com"), "short"))
			.hasMessageContaining("tongxing.sms.tencent.receipt-token");
		assertThat(new SmsProperties.Aliyun("LTAItest", "s", "通行", "SMS_0001", "cn-hangzhou",
				URI.create("https://dysmsapi.aliyuncs.com"), " ").receiptToken()).as("blank is unset").isNull();
	}

	@Test
	void whenEveryProviderFailsTheLastOnesFailureIsReported() {
		AtomicInteger requests = new AtomicInteger();
		try (FakeHttpServer tencent = SmsSendersTest.tencentAnswering("InternalError.Timeout", requests)) {
			URI nobody = URI.create("http://127.0.0.1:" + FreePort.find() + "/");
			SmsDeliveryException failed = catchThrowableOfType(SmsDeliveryException.class,
					() -> failover(tencent.uri(), nobody, Duration.ofSeconds(2), name -> true).send(SmsSendersTest.MESSAGE));
			assertThat(failed.upstreamError()).isEqualTo("aliyun network");
			assertThat(failed.upstreamUnavailable()).isTrue();
		}
	}

	@Test
	void theProvidersAreConfiguredInOrderAndNotBesideOneSender() {
		assertThatThrownBy(() -> new SmsProperties(SmsProperties.Sender.TENCENT, null, Duration.ofSeconds(5), null, null,
				List.of(SmsProperties.Sender.TENCENT, SmsProperties.Sender.ALIYUN)))
			.hasMessageContaining("tongxing.sms.sender (one provider) or tongxing.sms.providers");
		assertThatThrownBy(() -> new SmsProperties(null, null, Duration.ofSeconds(5), null, null,
				List.of(SmsProperties.Sender.LOG, SmsProperties.Sender.ALIYUN))).hasMessageContaining("'log'");
		assertThat(new SmsProperties(null, null, Duration.ofSeconds(5), null, null,
				List.of(SmsProperties.Sender.ALIYUN, SmsProperties.Sender.TENCENT)).inUse())
			.containsExactly(SmsProperties.Sender.ALIYUN, SmsProperties.Sender.TENCENT);
		assertThat(new SmsProperties(SmsProperties.Sender.WEBHOOK, null, Duration.ofSeconds(5), null, null, List.of())
			.inUse()).containsExactly(SmsProperties.Sender.WEBHOOK);
	}

	@Test
	void configuredProvidersAreWiredInTheirOrderEachWithItsProbe() {
		new org.springframework.boot.test.context.runner.ApplicationContextRunner()
			.withUserConfiguration(SmsSenderConfig.class)
			.withBean(JsonMapper.class, () -> this.json)
			.withBean(Clock.class, () -> this.clock)
			.withBean(UpstreamCalls.class, UpstreamCalls::withDefaults)
			.withBean(io.micrometer.core.instrument.MeterRegistry.class, () -> this.meters)
			.withBean(SmsProperties.class, () -> new SmsProperties(null, null, Duration.ofSeconds(5),
					SmsSendersTest.tencentConfig(URI.create("https://sms.tencentcloudapi.com"), "s"),
					new SmsProperties.Aliyun("LTAItest", "secret", "通行", "SMS_0001", "cn-hangzhou",
							URI.create("https://dysmsapi.aliyuncs.com")),
					List.of(SmsProperties.Sender.ALIYUN, SmsProperties.Sender.TENCENT)))
			.run(context -> {
				assertThat(context).hasNotFailed();
				SmsSender sender = context.getBean(SmsSender.class);
				assertThat(sender).isInstanceOf(FailoverSmsSender.class);
				assertThat(((FailoverSmsSender) sender).providerNames()).containsExactly("aliyun", "tencent");
				assertThat(sender.probes().keySet()).containsExactly("aliyun", "tencent");
			});
	}

}
