package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.ratelimit.PhoneAbuseGuard;
import dev.tongxing.server.ratelimit.SmsChallenge.Answer;
import dev.tongxing.server.resilience.UpstreamCalls;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The two captcha providers as the SMS challenge, against local stand-ins of their server APIs that check the
 * signature (TC3-HMAC-SHA256; Aliyun RPC HMAC-SHA1) as the services do: a passed answer buys a send once, a
 * wrong, reused or foreign one does not, and a provider that cannot say is fail-closed unless configured
 * fail-open.
 */
class CaptchaChallengeTest {

	static final long APP_ID = 190000001L;

	final JsonMapper json = JsonMapper.builder().build();

	final Clock clock = Clock.systemUTC();

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	static SmsChallengeProperties tencent(URI endpoint, String secretKey, String appSecretKey,
			SmsChallengeProperties.OnFailure onFailure) {
		return new SmsChallengeProperties(SmsChallengeProperties.Kind.TENCENT, onFailure, Duration.ofSeconds(2),
				new SmsChallengeProperties.Tencent("AKIDcaptcha", secretKey, APP_ID, appSecretKey, endpoint,
						URI.create("https://turing.captcha.qcloud.com/TCaptcha.js"),
						List.of("https://turing.captcha.qcloud.com", "https://turing.captcha.gtimg.com")),
				aliyunDefaults(null));
	}

	static SmsChallengeProperties.Aliyun aliyunDefaults(URI endpoint) {
		return new SmsChallengeProperties.Aliyun(null, null, null, null, "cn",
				endpoint == null ? URI.create("https://captcha.cn-shanghai.aliyuncs.com") : endpoint,
				URI.create("https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js"), List.of("https://o.alicdn.com"));
	}

	static SmsChallengeProperties aliyun(URI endpoint, String secret, SmsChallengeProperties.OnFailure onFailure) {
		return new SmsChallengeProperties(SmsChallengeProperties.Kind.ALIYUN, onFailure, Duration.ofSeconds(2),
				tencentDefaults(), new SmsChallengeProperties.Aliyun("LTAIcaptcha", secret, "scene-1", "pfx9", "cn",
						endpoint, URI.create("https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js"),
						List.of("https://o.alicdn.com", "https://*.aliyuncs.com")));
	}

	static SmsChallengeProperties.Tencent tencentDefaults() {
		return new SmsChallengeProperties.Tencent(null, null, null, null, URI.create("https://captcha.tencentcloudapi.com"),
				URI.create("https://turing.captcha.qcloud.com/TCaptcha.js"), List.of());
	}

	TencentCaptcha tencentCaptcha(SmsChallengeProperties properties) {
		return new TencentCaptcha(properties,
				new SmsHttp(UpstreamCalls.withDefaults(), "captcha", properties.timeout(), "tencent"), this.json,
				this.clock, this.meters);
	}

	AliyunCaptcha aliyunCaptcha(SmsChallengeProperties properties) {
		return new AliyunCaptcha(properties,
				new SmsHttp(UpstreamCalls.withDefaults(), "captcha", properties.timeout(), "aliyun"), this.json,
				this.clock, this.meters);
	}

	static MockHttpServletRequest answer(String solution, String randstr) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/login/phone/send");
		request.setRemoteAddr("203.0.113.7");
		if (solution != null) {
			request.setParameter("challenge_solution", solution);
		}
		if (randstr != null) {
			request.setParameter("challenge_randstr", randstr);
		}
		return request;
	}

	double checks(String kind, String outcome) {
		var counter = this.meters.find("tongxing_sms_challenge_checks").tag("kind", kind).tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	@Test
	void tencentPassesAWidgetTicketOnceWithASignedDescribeCaptchaResult() {
		try (FakeTencentCaptcha fake = new FakeTencentCaptcha("AKIDcaptcha", "captcha-secret", this.clock, APP_ID,
				"app-secret")) {
			TencentCaptcha captcha = tencentCaptcha(
					tencent(fake.uri(), "captcha-secret", "app-secret", SmsChallengeProperties.OnFailure.REFUSE));
			fake.pass("t-1", "r-1");
			assertThat(captcha.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.PASSED);
			assertThat(fake.refusals).isEmpty();
			JsonNode call = fake.accepted.get(0);
			assertThat(call.path("CaptchaType").asInt()).isEqualTo(9);
			assertThat(call.path("Ticket").asString()).isEqualTo("t-1");
			assertThat(call.path("Randstr").asString()).isEqualTo("r-1");
			assertThat(call.path("UserIp").asString()).isEqualTo("203.0.113.7");
			assertThat(call.path("CaptchaAppId").asLong()).isEqualTo(APP_ID);
			assertThat(call.path("AppSecretKey").asString()).isEqualTo("app-secret");
			// once only, and only with its own random string; an unknown ticket fails
			assertThat(captcha.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.FAILED);
			fake.pass("t-2", "r-2");
			assertThat(captcha.check(answer("t-2", "another"), "b")).isEqualTo(Answer.FAILED);
			assertThat(captcha.check(answer("forged", "r"), "b")).isEqualTo(Answer.FAILED);
			// no answer: nothing to ask; a ticket without its random string is no answer either
			int calls = fake.accepted.size();
			assertThat(captcha.check(answer(null, null), "b")).isEqualTo(Answer.NONE);
			assertThat(captcha.check(answer("t-2", null), "b")).isEqualTo(Answer.FAILED);
			assertThat(fake.accepted).hasSize(calls);
			assertThat(checks("tencent", "passed")).isEqualTo(1);
			assertThat(checks("tencent", "failed")).isEqualTo(4);
		}
	}

	@Test
	void tencentWithAWrongKeyOrInTroubleIsUnavailableAndRefusedUnlessFailOpen() {
		try (FakeTencentCaptcha fake = new FakeTencentCaptcha("AKIDcaptcha", "captcha-secret", this.clock, APP_ID,
				"app-secret")) {
			fake.pass("t-1", "r-1");
			// the API key's signature is refused: no verdict on the person, so fail-closed by default
			TencentCaptcha wrongKey = tencentCaptcha(
					tencent(fake.uri(), "not-the-secret", "app-secret", SmsChallengeProperties.OnFailure.REFUSE));
			assertThat(wrongKey.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.UNAVAILABLE);
			assertThat(fake.refusals).containsExactly("AuthFailure.SignatureFailure");
			// the service's own trouble, then the service gone
			TencentCaptcha closed = tencentCaptcha(
					tencent(fake.uri(), "captcha-secret", "app-secret", SmsChallengeProperties.OnFailure.REFUSE));
			fake.trouble = "internal-error";
			assertThat(closed.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.UNAVAILABLE);
			fake.trouble = "http-500";
			assertThat(closed.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.UNAVAILABLE);
			TencentCaptcha open = tencentCaptcha(
					tencent(fake.uri(), "captcha-secret", "app-secret", SmsChallengeProperties.OnFailure.ALLOW));
			assertThat(open.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.PASSED);
			fake.trouble = null;
			// fail-open is for a provider that cannot say, never for a wrong answer
			assertThat(open.check(answer("forged", "r"), "b")).isEqualTo(Answer.FAILED);
			assertThat(checks("tencent", "unavailable-refused")).isEqualTo(3);
			assertThat(checks("tencent", "unavailable-allowed")).isEqualTo(1);
		}
		// unreachable
		TencentCaptcha gone = tencentCaptcha(tencent(URI.create("http://127.0.0.1:9/"), "captcha-secret", "app-secret",
				SmsChallengeProperties.OnFailure.REFUSE));
		assertThat(gone.check(answer("t-1", "r-1"), "b")).isEqualTo(Answer.UNAVAILABLE);
	}

	@Test
	void tencentsPageLoadsItsWidgetFromTheConfiguredScript() {
		PhoneAbuseGuard.Challenge challenge = tencentCaptcha(
				tencent(URI.create("http://127.0.0.1:9/"), "s", "a", SmsChallengeProperties.OnFailure.REFUSE)).issue("b",
						true);
		assertThat(challenge.kind()).isEqualTo("tencent");
		assertThat(challenge.challenge()).isEqualTo(Long.toString(APP_ID));
		assertThat(challenge.unavailable()).isTrue();
		assertThat(challenge.widget()).containsEntry("script", "https://turing.captcha.qcloud.com/TCaptcha.js")
			.containsEntry("app-id", Long.toString(APP_ID))
			.containsEntry("csp", "https://turing.captcha.qcloud.com https://turing.captcha.gtimg.com");
	}

	@Test
	void aliyunPassesAWidgetParameterOnceWithASignedVerifyIntelligentCaptcha() {
		try (FakeAliyunCaptcha fake = new FakeAliyunCaptcha("LTAIcaptcha", "aliyun-secret", this.clock, "scene-1")) {
			AliyunCaptcha captcha = aliyunCaptcha(aliyun(fake.uri(), "aliyun-secret", SmsChallengeProperties.OnFailure.REFUSE));
			fake.pass("{\"certifyId\":\"p-1\"}");
			assertThat(captcha.check(answer("{\"certifyId\":\"p-1\"}", null), "b")).isEqualTo(Answer.PASSED);
			assertThat(fake.refusals).isEmpty();
			Map<String, String> call = fake.accepted.get(0);
			assertThat(call).containsEntry("Action", "VerifyIntelligentCaptcha")
				.containsEntry("Version", "2023-03-05")
				.containsEntry("SceneId", "scene-1")
				.containsEntry("CaptchaVerifyParam", "{\"certifyId\":\"p-1\"}")
				.containsEntry("AccessKeyId", "LTAIcaptcha");
			// once only; an unknown parameter fails; a fresh nonce each call (the fake refuses a reused one)
			assertThat(captcha.check(answer("{\"certifyId\":\"p-1\"}", null), "b")).isEqualTo(Answer.FAILED);
			assertThat(captcha.check(answer("forged", null), "b")).isEqualTo(Answer.FAILED);
			assertThat(fake.refusals).isEmpty();
			assertThat(captcha.check(answer(null, null), "b")).isEqualTo(Answer.NONE);
			assertThat(captcha.check(answer("x".repeat(CaptchaChallenge.MAX_ANSWER + 1), null), "b"))
				.isEqualTo(Answer.FAILED);
			assertThat(fake.accepted).hasSize(3);
			assertThat(checks("aliyun", "passed")).isEqualTo(1);
		}
	}

	@Test
	void aliyunWithAWrongSecretOrInTroubleIsUnavailableAndRefusedUnlessFailOpen() {
		try (FakeAliyunCaptcha fake = new FakeAliyunCaptcha("LTAIcaptcha", "aliyun-secret", this.clock, "scene-1")) {
			fake.pass("p");
			AliyunCaptcha wrong = aliyunCaptcha(aliyun(fake.uri(), "not-the-secret", SmsChallengeProperties.OnFailure.REFUSE));
			assertThat(wrong.check(answer("p", null), "b")).isEqualTo(Answer.UNAVAILABLE);
			assertThat(fake.refusals).containsExactly("SignatureDoesNotMatch");
			AliyunCaptcha closed = aliyunCaptcha(aliyun(fake.uri(), "aliyun-secret", SmsChallengeProperties.OnFailure.REFUSE));
			fake.trouble = "internal-error";
			assertThat(closed.check(answer("p", null), "b")).isEqualTo(Answer.UNAVAILABLE);
			AliyunCaptcha open = aliyunCaptcha(aliyun(fake.uri(), "aliyun-secret", SmsChallengeProperties.OnFailure.ALLOW));
			assertThat(open.check(answer("p", null), "b")).isEqualTo(Answer.PASSED);
			fake.trouble = null;
			assertThat(open.check(answer("forged", null), "b")).isEqualTo(Answer.FAILED);
		}
	}

	@Test
	void aliyunsPageGetsSceneAndPrefix() {
		PhoneAbuseGuard.Challenge challenge = aliyunCaptcha(
				aliyun(URI.create("http://127.0.0.1:9/"), "s", SmsChallengeProperties.OnFailure.REFUSE)).issue("b", false);
		assertThat(challenge.kind()).isEqualTo("aliyun");
		assertThat(challenge.widget()).containsEntry("scene-id", "scene-1")
			.containsEntry("prefix", "pfx9")
			.containsEntry("region", "cn")
			.containsEntry("script", "https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js")
			.containsEntry("csp", "https://o.alicdn.com https://*.aliyuncs.com");
	}

	@Test
	void aProviderWithoutItsKeysStopsStartUpNamingThem() {
		assertThatThrownBy(() -> new SmsChallengeProperties(SmsChallengeProperties.Kind.TENCENT,
				SmsChallengeProperties.OnFailure.REFUSE, Duration.ofSeconds(3), tencentDefaults(), aliyunDefaults(null)))
			.hasMessageContaining("tongxing.sms.challenge.tencent.secret-id is required")
			.hasMessageContaining("tongxing.sms.challenge.tencent.captcha-app-id is required");
		assertThatThrownBy(() -> new SmsChallengeProperties(SmsChallengeProperties.Kind.ALIYUN,
				SmsChallengeProperties.OnFailure.REFUSE, Duration.ofSeconds(3), tencentDefaults(), aliyunDefaults(null)))
			.hasMessageContaining("tongxing.sms.challenge.aliyun.scene-id is required")
			.hasMessageContaining("tongxing.sms.challenge.aliyun.prefix is required");
		// the proof of work needs nothing
		assertThat(new SmsChallengeProperties(SmsChallengeProperties.Kind.PROOF_OF_WORK,
				SmsChallengeProperties.OnFailure.REFUSE, Duration.ofSeconds(3), tencentDefaults(), aliyunDefaults(null))
			.kind()).isEqualTo(SmsChallengeProperties.Kind.PROOF_OF_WORK);
	}

}
