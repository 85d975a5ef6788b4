package dev.tongxing.server.connector.phone;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aliyun captcha 2.0: {@code VerifyIntelligentCaptcha} (version 2023-03-05), an RPC-style call POSTed as a form
 * and signed by {@link AliyunRpcSigner} as the SMS sender's calls are. The widget's success callback gives the
 * verify parameter ({@value dev.tongxing.server.ratelimit.SmsChallenge#SOLUTION_FIELD}), checked against the
 * configured scene; {@code Result.VerifyResult} true is a pass ({@code VerifyCode} T001, or T005/T006 for a
 * scene in test mode or on the allow list), false a failure (F001 suspected attack, F0xx an answer that is
 * wrong, expired or used). An answer without {@code Success} (bad credentials or signature, throttling) or an
 * HTTP 5xx is no verdict on the person: the check is unavailable.
 */
class AliyunCaptcha extends CaptchaChallenge {

	private final SmsChallengeProperties.Aliyun config;

	private final SmsHttp http;

	private final JsonMapper json;

	private final Clock clock;

	AliyunCaptcha(SmsChallengeProperties properties, SmsHttp http, JsonMapper json, Clock clock, MeterRegistry meters) {
		super(properties, meters);
		this.config = properties.aliyun();
		this.http = http;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String kind() {
		return "aliyun";
	}

	@Override
	String challengeValue() {
		return this.config.sceneId();
	}

	@Override
	Map<String, String> widget() {
		return Map.of("script", this.config.scriptUrl().toString(), "scene-id", this.config.sceneId(), "prefix",
				this.config.prefix(), "region", this.config.region(), "csp", String.join(" ", this.config.csp()));
	}

	@Override
	boolean verify(String verifyParam, HttpServletRequest request) {
		Map<String, String> parameters = AliyunRpcSigner.commonParameters(this.config.accessKeyId(),
				"VerifyIntelligentCaptcha", "2023-03-05", this.clock.instant());
		parameters.put("CaptchaVerifyParam", verifyParam);
		parameters.put("SceneId", this.config.sceneId());
		HttpRequest call = this.http.request(this.config.endpoint())
			.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			.POST(HttpRequest.BodyPublishers
				.ofString(AliyunRpcSigner.signedQuery("POST", parameters, this.config.accessKeySecret())))
			.build();
		HttpResponse<String> response;
		try {
			response = this.http.send(call, "Aliyun captcha", AliyunCaptcha::serviceTrouble);
		}
		catch (SmsDeliveryException ex) {
			throw new Unavailable(ex.upstreamError() + ": " + ex.getMessage());
		}
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw new Unavailable("Aliyun captcha answered HTTP " + response.statusCode() + " without JSON");
		}
		JsonNode result = answer.path("Result");
		if (response.statusCode() != 200 || !answer.path("Success").asBoolean(false) || !result.isObject()) {
			throw new Unavailable("Aliyun captcha answered HTTP " + response.statusCode() + " "
					+ answer.path("Code").asString("") + " " + answer.path("Message").asString("") + " (RequestId "
					+ answer.path("RequestId").asString("") + ")");
		}
		return result.path("VerifyResult").asBoolean(false);
	}

	/** The service's own trouble counts against its breaker: Aliyun's {@code InternalError} / {@code ServiceUnavailable}. */
	private static boolean serviceTrouble(HttpResponse<String> response) {
		String body = response.body();
		return body != null && (body.contains("\"InternalError") || body.contains("\"ServiceUnavailable"));
	}

}
