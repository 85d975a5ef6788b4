package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.breach.NoticeSms;
import dev.tongxing.server.resilience.UpstreamCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Notices through Tencent's and Aliyun's pre-approved templates, against the fakes of both: each kind through its
 * own template with its values (in order for Tencent, by name for Aliyun); a provider without the kind's template
 * is never asked, and with none at all the notice is refused as before; fail-over goes only to a provider that has it.
 */
class SmsNoticeTemplatesTest {

	static final Map<String, String> TENCENT_TEMPLATES = Map.of("breach-notice", "2100001", "account-notice", "2100002",
			"deletion-notice", "2100003");

	static final Map<String, String> ALIYUN_TEMPLATES = Map.of("breach-notice", "SMS_4001", "account-notice", "SMS_4002",
			"deletion-notice", "SMS_4003");

	static final String PHONE = "+8613800138000";

	final JsonMapper json = JsonMapper.builder().build();

	final Clock clock = Clock.systemUTC();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	TencentSmsSender tencent(URI endpoint, Map<String, String> templates) {
		return new TencentSmsSender(new SmsProperties.Tencent("AKIDtest", "tencent-secret", "1400000001", "通行",
				"1234567", "ap-guangzhou", endpoint, null, templates),
				new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "tencent"), this.json, this.clock);
	}

	AliyunSmsSender aliyun(URI endpoint, Map<String, String> templates) {
		return new AliyunSmsSender(new SmsProperties.Aliyun("LTAItest", "aliyun-secret", "通行", "SMS_0001",
				"cn-hangzhou", endpoint, null, templates),
				new SmsHttp(UpstreamCalls.withDefaults(), Duration.ofSeconds(2), "aliyun"), this.json, this.clock);
	}

	static List<String> params(JsonNode request) {
		List<String> params = new java.util.ArrayList<>();
		for (JsonNode param : request.path("TemplateParamSet")) {
			params.add(param.asString());
		}
		return params;
	}

	@Test
	void tencentSendsEachNoticeThroughItsOwnTemplateWithItsValuesInOrder() {
		try (FakeTencentSms fake = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock)) {
			TencentSmsSender sender = tencent(fake.uri(), TENCENT_TEMPLATES);
			assertThat(new BreachNoticeSms(sender).send(PHONE, "the whole notice",
					new NoticeSms.Template("2026-12-02", "BR-2026-ABCD-EFGH"))).isInstanceOf(NoticeSms.Sent.class);
			sender.send(NoticeKind.PHONE_CHANGE.message(PHONE, "text", "2026-12-12", "08:00", "8001"));
			sender.send(NoticeKind.DELETION.message(PHONE, "text", "2026-12-31"));
			sender.send(SmsSendersTest.MESSAGE); // the code keeps its own template
			assertThat(fake.refusals).isEmpty();
			assertThat(fake.accepted).extracting(r -> r.path("TemplateId").asString())
				.containsExactly("2100001", "2100002", "2100003", "1234567");
			assertThat(fake.accepted).extracting(SmsNoticeTemplatesTest::params)
				.containsExactly(List.of("2026-12-02", "BR-2026-ABCD-EFGH"), List.of("2026-12-12", "08:00", "8001"),
						List.of("2026-12-31"), List.of("042917"));
			assertThat(fake.accepted).allSatisfy(r -> {
				assertThat(r.path("PhoneNumberSet").path(0).asString()).isEqualTo(PHONE);
				assertThat(r.path("SignName").asString()).isEqualTo("通行");
			});
		}
	}

	@Test
	void aliyunSendsEachNoticeThroughItsOwnTemplateWithNamedValues() {
		try (FakeAliyunSms fake = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			AliyunSmsSender sender = aliyun(fake.uri(), ALIYUN_TEMPLATES);
			sender.send(NoticeKind.BREACH.message(PHONE, "text", "2026-12-02", "BR-2026-ABCD-EFGH"));
			sender.send(NoticeKind.PHONE_CHANGE.message(PHONE, "text", "2026-12-12", "08:00", "8001"));
			sender.send(NoticeKind.DELETION.message(PHONE, "text", "2026-12-31"));
			sender.send(SmsSendersTest.MESSAGE);
			assertThat(fake.refusals).isEmpty();
			assertThat(fake.accepted).extracting(form -> form.get("TemplateCode"))
				.containsExactly("SMS_4001", "SMS_4002", "SMS_4003", "SMS_0001");
			assertThat(fake.accepted).extracting(form -> form.get("TemplateParam"))
				.containsExactly("{\"date\":\"2026-12-02\",\"incident\":\"BR-2026-ABCD-EFGH\"}",
						"{\"date\":\"2026-12-12\",\"time\":\"08:00\",\"tail\":\"8001\"}", "{\"date\":\"2026-12-31\"}",
						"{\"code\":\"042917\"}");
			assertThat(fake.accepted).allSatisfy(form -> assertThat(form).containsEntry("PhoneNumbers", "8613800138000"));
		}
	}

	@Test
	void withoutTheKindsTemplateTheNoticeIsRefusedAndNothingIsSent() {
		try (FakeTencentSms tencentFake = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock);
				FakeAliyunSms aliyunFake = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			TencentSmsSender none = tencent(tencentFake.uri(), Map.of());
			AliyunSmsSender breachOnly = aliyun(aliyunFake.uri(), Map.of("breach-notice", "SMS_4001"));
			assertThat(none.sends("breach-notice")).isFalse();
			assertThat(none.takesText()).isFalse();
			assertThat(breachOnly.sends("breach-notice")).isTrue();
			assertThat(breachOnly.sends("deletion-notice")).isFalse();

			NoticeSms.Outcome refused = new BreachNoticeSms(none).send(PHONE, "text",
					new NoticeSms.Template("2026-12-02", "BR-2026-ABCD-EFGH"));
			assertThat(refused).isInstanceOfSatisfying(NoticeSms.Refused.class,
					r -> assertThat(r.reason()).contains("tencent").contains("breach-notice"));
			// the text alone, as before: a template-only provider cannot carry it even with the template
			assertThat(new BreachNoticeSms(breachOnly).send(PHONE, "text")).isInstanceOf(NoticeSms.Refused.class);
			assertThat(new BreachNoticeSms(breachOnly)
				.deliver(NoticeKind.DELETION.message(PHONE, "text", "2026-12-31"))).isInstanceOf(NoticeSms.Refused.class);
			// handed one anyway, the sender refuses before any request
			assertThatThrownBy(() -> none.send(NoticeKind.DELETION.message(PHONE, "text", "2026-12-31")))
				.isInstanceOfSatisfying(SmsDeliveryException.class,
						ex -> assertThat(ex.upstreamError()).isEqualTo("refused"))
				.hasMessageContaining("tongxing.sms.tencent.notice-templates.deletion-notice");
			assertThat(tencentFake.accepted).isEmpty();
			assertThat(aliyunFake.accepted).isEmpty();
			assertThat(tencentFake.refusals).isEmpty();
		}
	}

	@Test
	void failOverOffersANoticeOnlyToTheProvidersWithItsTemplate() {
		try (FakeTencentSms tencentFake = new FakeTencentSms("AKIDtest", "tencent-secret", this.clock);
				FakeAliyunSms aliyunFake = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			FailoverSmsSender sender = new FailoverSmsSender(
					List.of(tencent(tencentFake.uri(), Map.of("deletion-notice", "2100003")),
							aliyun(aliyunFake.uri(), Map.of("breach-notice", "SMS_4001"))),
					name -> true, this.meters);
			assertThat(sender.sends("breach-notice")).isTrue();
			assertThat(sender.sends("account-notice")).isFalse();

			// Tencent comes first but has no breach template: Aliyun is the only one asked
			assertThat(new BreachNoticeSms(sender).send(PHONE, "text",
					new NoticeSms.Template("2026-12-02", "BR-2026-ABCD-EFGH"))).isInstanceOf(NoticeSms.Sent.class);
			assertThat(tencentFake.accepted).isEmpty();
			assertThat(aliyunFake.accepted).singleElement()
				.satisfies(form -> assertThat(form).containsEntry("TemplateCode", "SMS_4001"));
			assertThat(this.meters.find("tongxing_sms_failover_total").counter()).as("not a fail-over").isNull();

			// the deletion notice goes to Tencent, the only one with its template
			sender.send(NoticeKind.DELETION.message(PHONE, "text", "2026-12-31"));
			assertThat(tencentFake.accepted).singleElement()
				.satisfies(r -> assertThat(r.path("TemplateId").asString()).isEqualTo("2100003"));
			assertThat(aliyunFake.accepted).hasSize(1);

			// nobody has the phone-change template: refused, nobody asked
			assertThat(new BreachNoticeSms(sender)
				.deliver(NoticeKind.PHONE_CHANGE.message(PHONE, "text", "2026-12-12", "08:00", "8001")))
				.isInstanceOf(NoticeSms.Refused.class);
			assertThatThrownBy(() -> sender.send(NoticeKind.PHONE_CHANGE.message(PHONE, "text", "2026-12-12", "08:00",
					"8001"))).isInstanceOf(SmsDeliveryException.class);
			assertThat(tencentFake.accepted).hasSize(1);
			assertThat(aliyunFake.accepted).hasSize(1);

			// codes still go to the first provider
			sender.send(SmsSendersTest.MESSAGE);
			assertThat(tencentFake.accepted).hasSize(2);
		}
	}

	@Test
	void failOverAmongTheProvidersWithTheTemplateWhenTheFirstIsKnownNotToHaveSent() {
		AtomicInteger tencentRequests = new AtomicInteger();
		try (FakeHttpServer tencentFake = SmsSendersTest.tencentAnswering("InternalError.Timeout", tencentRequests);
				FakeAliyunSms aliyunFake = new FakeAliyunSms("LTAItest", "aliyun-secret", this.clock)) {
			SmsSender withoutTemplate = new TemplateLess("template-less", false);
			FailoverSmsSender sender = new FailoverSmsSender(
					List.of(tencent(tencentFake.uri(), TENCENT_TEMPLATES), withoutTemplate,
							aliyun(aliyunFake.uri(), ALIYUN_TEMPLATES)),
					name -> true, this.meters);
			sender.send(NoticeKind.BREACH.message(PHONE, "text", "2026-12-02", "BR-2026-ABCD-EFGH"));
			assertThat(tencentRequests).hasValue(1);
			assertThat(aliyunFake.accepted).singleElement()
				.satisfies(form -> assertThat(form).containsEntry("TemplateCode", "SMS_4001"));
			assertThat(this.meters.find("tongxing_sms_failover_total").tag("to", "aliyun").counter().count())
				.isEqualTo(1);
		}
	}

	/** A provider that sends nothing and must never be asked for a notice it has no template for. */
	record TemplateLess(String name, boolean takesText) implements SmsSender {

		@Override
		public void send(SmsMessage message) {
			throw new AssertionError(this.name + " was asked to send " + message);
		}

	}

	@Test
	void aProviderThatSendsTextSendsEveryKind() {
		LogSmsSender log = new LogSmsSender(this.clock);
		for (String kind : NoticeKind.names()) {
			assertThat(log.sends(kind)).as(kind).isTrue();
		}
		assertThat(new NoSmsSender().sends("breach-notice")).isFalse();
		assertThat(new BreachNoticeSms(log).send("+8613900139000", "the whole notice",
				new NoticeSms.Template("2026-12-02", "BR-2026-ABCD-EFGH"))).isInstanceOf(NoticeSms.Sent.class);
		assertThat(log.latestPerPhone()).singleElement()
			.satisfies(d -> assertThat(d.text()).isEqualTo("the whole notice"));
	}

	@Test
	void theTemplatesAreBoundPerProviderAndKindAndAMisspeltKindStopsTheStart() {
		Map<String, String> source = Map.of("tongxing.sms.tencent.notice-templates.breach-notice", "2100001",
				"tongxing.sms.tencent.notice-templates.account-notice", " ",
				"tongxing.sms.aliyun.notice-templates.deletion-notice", "SMS_4003",
				"tongxing.sms.sender", "tencent");
		SmsProperties properties = new Binder(new MapConfigurationPropertySource(source))
			.bind("tongxing.sms", SmsProperties.class)
			.get();
		assertThat(properties.tencent().noticeTemplates()).as("blank is unset").containsExactly(Map.entry("breach-notice", "2100001"));
		assertThat(properties.aliyun().noticeTemplates()).containsExactly(Map.entry("deletion-notice", "SMS_4003"));
		assertThat(properties.tencent().templateId()).isNull();

		assertThatThrownBy(() -> new SmsProperties.Tencent("AKIDtest", "s", "1400000001", "通行", "1", "ap-guangzhou",
				URI.create("https://sms.tencentcloudapi.com"), null, Map.of("breach", "2100001")))
			.hasMessageContaining("tongxing.sms.tencent.notice-templates.breach")
			.hasMessageContaining("breach-notice, account-notice, deletion-notice");
		assertThat(SmsSendersTest.tencentConfig(URI.create("https://sms.tencentcloudapi.com"), "s").noticeTemplates())
			.as("the older constructors: no notice templates").isEmpty();
	}

	@Test
	void aNoticesValuesStayOutOfLogs() {
		SmsMessage notice = NoticeKind.PHONE_CHANGE.message(PHONE, "text", "2026-12-12", "08:00", "5678");
		assertThat(notice.toString()).doesNotContain("5678").doesNotContain("2026-12-12").contains("account-notice");
		assertThatThrownBy(() -> NoticeKind.BREACH.message(PHONE, "text", "2026-12-02"))
			.isInstanceOf(IllegalArgumentException.class);
	}

}
