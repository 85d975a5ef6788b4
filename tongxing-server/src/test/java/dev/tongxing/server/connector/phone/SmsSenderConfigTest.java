package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.resilience.UpstreamCalls;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Which sender a configuration gets, and how a broken one stops start-up. */
class SmsSenderConfigTest {

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SmsProperties.class)
	static class Properties {

	}

	final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(Properties.class, SmsSenderConfig.class)
		.withBean(JsonMapper.class, () -> JsonMapper.builder().build())
		.withBean(Clock.class, Clock::systemUTC)
		.withBean(UpstreamCalls.class, UpstreamCalls::withDefaults);

	@Test
	void unsetMeansLogUnderTheDevProfile() {
		this.runner.withPropertyValues("spring.profiles.active=dev")
			.run(context -> assertThat(context.getBean(SmsSender.class)).isInstanceOf(LogSmsSender.class));
	}

	@Test
	void unsetOutsideDevMeansNoPhoneLogin() {
		this.runner.run(context -> {
			SmsSender sender = context.getBean(SmsSender.class);
			assertThat(sender).isInstanceOf(NoSmsSender.class);
			assertThat(sender.delivers()).isFalse();
		});
	}

	@Test
	void namedSendersAreBuilt() {
		this.runner.withPropertyValues("tongxing.sms.sender=webhook", "tongxing.sms.webhook-url=http://127.0.0.1:9999/sms")
			.run(context -> assertThat(context.getBean(SmsSender.class)).isInstanceOf(WebhookSmsSender.class));
		this.runner
			.withPropertyValues("tongxing.sms.sender=tencent", "tongxing.sms.tencent.secret-id=AKID",
					"tongxing.sms.tencent.secret-key=k", "tongxing.sms.tencent.sdk-app-id=1400000001",
					"tongxing.sms.tencent.sign-name=通行", "tongxing.sms.tencent.template-id=1")
			.run(context -> assertThat(context.getBean(SmsSender.class)).isInstanceOf(TencentSmsSender.class));
		this.runner
			.withPropertyValues("tongxing.sms.sender=aliyun", "tongxing.sms.aliyun.access-key-id=LTAI",
					"tongxing.sms.aliyun.access-key-secret=s", "tongxing.sms.aliyun.sign-name=通行",
					"tongxing.sms.aliyun.template-code=SMS_1")
			.run(context -> assertThat(context.getBean(SmsSender.class)).isInstanceOf(AliyunSmsSender.class));
	}

	@Test
	void missingSettingsStopStartUpAndAreListed() {
		this.runner.withPropertyValues("tongxing.sms.sender=tencent", "tongxing.sms.tencent.secret-id=AKID")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("tongxing.sms.sender is 'tencent'")
				.hasMessageContaining("tongxing.sms.tencent.secret-key")
				.hasMessageContaining("tongxing.sms.tencent.template-id")
				.hasMessageNotContaining("secret-id,"));
		this.runner.withPropertyValues("tongxing.sms.sender=webhook")
			.run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("tongxing.sms.webhook-url"));
	}

	@Test
	void theLoginPageOffersPhoneOnlyWhenCodesCanBeSent() {
		assertThat(new PhoneLoginMethod(stub(true)).loginMethods()).singleElement()
			.satisfies(method -> assertThat(method.href()).isEqualTo("/login/phone"))
			.satisfies(method -> assertThat(method.id()).isEqualTo("phone"));
		assertThat(new PhoneLoginMethod(stub(false)).loginMethods()).isEqualTo(List.of());
	}

	static PhoneVerification stub(boolean available) {
		return new PhoneVerification() {
			@Override
			public boolean available() {
				return available;
			}

			@Override
			public SendOutcome send(String rawPhone, String clientIp) {
				return new SendOutcome.Failed(rawPhone);
			}

			@Override
			public VerifyOutcome verify(String rawPhone, String code) {
				return new VerifyOutcome.NoCode();
			}
		};
	}

}
