package dev.tongxing.server.connector.phone;

import dev.tongxing.server.ratelimit.SmsChallenge;
import dev.tongxing.server.resilience.UpstreamCalls;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/**
 * The SMS challenge's captcha provider, when {@code tongxing.sms.challenge.kind} names one; otherwise no
 * {@link SmsChallenge} bean, and the rate limiter's built-in proof of work is the challenge.
 */
@Configuration(proxyBeanMethods = false)
class SmsChallengeConfig {

	private static final Logger log = LoggerFactory.getLogger(SmsChallengeConfig.class);

	@Bean
	@ConditionalOnProperty(name = "tongxing.sms.challenge.kind", havingValue = "tencent")
	SmsChallenge tencentCaptcha(SmsChallengeProperties properties, UpstreamCalls calls, JsonMapper json, Clock clock,
			MeterRegistry meters) {
		log.info("SMS challenge: Tencent Cloud Captcha (app {}), on-upstream-failure={}",
				properties.tencent().captchaAppId(), properties.onUpstreamFailure());
		return new TencentCaptcha(properties, new SmsHttp(calls, "captcha", properties.timeout(), "tencent"), json,
				clock, meters);
	}

	@Bean
	@ConditionalOnProperty(name = "tongxing.sms.challenge.kind", havingValue = "aliyun")
	SmsChallenge aliyunCaptcha(SmsChallengeProperties properties, UpstreamCalls calls, JsonMapper json, Clock clock,
			MeterRegistry meters) {
		log.info("SMS challenge: Aliyun captcha 2.0 (scene {}), on-upstream-failure={}", properties.aliyun().sceneId(),
				properties.onUpstreamFailure());
		return new AliyunCaptcha(properties, new SmsHttp(calls, "captcha", properties.timeout(), "aliyun"), json, clock,
				meters);
	}

}
