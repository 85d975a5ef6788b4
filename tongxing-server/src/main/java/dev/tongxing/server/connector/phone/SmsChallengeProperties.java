package dev.tongxing.server.connector.phone;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Which challenge a send must pass once it is due ({@code tongxing.rate-limits.people.*-before-challenge} say
 * when), under {@code tongxing.sms.challenge.*}: the built-in proof of work, Tencent Cloud Captcha or Aliyun
 * captcha 2.0. Invalid or missing keys for the chosen provider stop start-up, every problem listed.
 *
 * @param kind {@code proof-of-work} (default: no third party, works offline), {@code tencent} or {@code aliyun}
 * @param onUpstreamFailure what a send gets when the provider cannot check an answer (unreachable, timeout, 5xx,
 * open circuit, our credentials refused): {@code refuse} (fail-closed, default) or {@code allow} (fail-open)
 * @param timeout deadline of one verification call
 */
@ConfigurationProperties("tongxing.sms.challenge")
public record SmsChallengeProperties(@DefaultValue("proof-of-work") Kind kind,
		@DefaultValue("refuse") OnFailure onUpstreamFailure, @DefaultValue("3s") Duration timeout,
		@DefaultValue Tencent tencent, @DefaultValue Aliyun aliyun) {

	public SmsChallengeProperties {
		List<String> problems = new ArrayList<>();
		if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofSeconds(30)) > 0) {
			problems.add("tongxing.sms.challenge.timeout must be above 0 and at most 30s");
		}
		if (kind == Kind.TENCENT) {
			required(problems, "tencent.secret-id", tencent.secretId());
			required(problems, "tencent.secret-key", tencent.secretKey());
			required(problems, "tencent.app-secret-key", tencent.appSecretKey());
			if (tencent.captchaAppId() == null || tencent.captchaAppId() <= 0) {
				problems.add("tongxing.sms.challenge.tencent.captcha-app-id is required (the CaptchaAppId, a number)");
			}
		}
		if (kind == Kind.ALIYUN) {
			required(problems, "aliyun.access-key-id", aliyun.accessKeyId());
			required(problems, "aliyun.access-key-secret", aliyun.accessKeySecret());
			required(problems, "aliyun.scene-id", aliyun.sceneId());
			required(problems, "aliyun.prefix", aliyun.prefix());
			if (!aliyun.region().equals("cn") && !aliyun.region().equals("sgp")) {
				problems.add("tongxing.sms.challenge.aliyun.region must be cn or sgp");
			}
		}
		if (!problems.isEmpty()) {
			throw new IllegalArgumentException(String.join("; ", problems));
		}
	}

	private static void required(List<String> problems, String key, String value) {
		if (value == null || value.isBlank()) {
			problems.add("tongxing.sms.challenge." + key + " is required with this kind");
		}
	}

	public enum Kind {

		PROOF_OF_WORK, TENCENT, ALIYUN

	}

	public enum OnFailure {

		REFUSE, ALLOW

	}

	/**
	 * Tencent Cloud Captcha: the widget ({@code TCaptcha.js}) in the page, {@code DescribeCaptchaResult}
	 * (API 3.0, version 2019-07-22, TC3-HMAC-SHA256) on the server.
	 *
	 * @param secretId API key (CAM) that signs the call
	 * @param captchaAppId the captcha app's {@code CaptchaAppId}
	 * @param appSecretKey the captcha app's {@code AppSecretKey}
	 * @param csp sources the challenge page's Content-Security-Policy allows for the widget (scripts, frames,
	 * connections, styles)
	 */
	public record Tencent(String secretId, String secretKey, Long captchaAppId, String appSecretKey,
			@DefaultValue("https://captcha.tencentcloudapi.com") URI endpoint,
			@DefaultValue("https://turing.captcha.qcloud.com/TCaptcha.js") URI scriptUrl,
			@DefaultValue({ "https://turing.captcha.qcloud.com", "https://turing.captcha.gtimg.com" }) List<String> csp) {
	}

	/**
	 * Aliyun captcha 2.0: the widget ({@code AliyunCaptcha.js}, V3 architecture) in the page,
	 * {@code VerifyIntelligentCaptcha} (version 2023-03-05, RPC-signed) on the server.
	 *
	 * @param sceneId the verification scene's id, checked by the service against the answer
	 * @param prefix the instance's identity prefix (the widget needs it)
	 * @param region {@code cn} (mainland, default) or {@code sgp}: the widget's; the endpoint must match it
	 */
	public record Aliyun(String accessKeyId, String accessKeySecret, String sceneId, String prefix,
			@DefaultValue("cn") String region,
			@DefaultValue("https://captcha.cn-shanghai.aliyuncs.com") URI endpoint,
			@DefaultValue("https://o.alicdn.com/captcha-frontend/aliyunCaptcha/AliyunCaptcha.js") URI scriptUrl,
			@DefaultValue({ "https://o.alicdn.com", "https://g.alicdn.com", "https://*.aliyuncs.com" }) List<String> csp) {
	}

}
