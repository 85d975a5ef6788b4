package dev.tongxing.server.connector.phone;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tencent Cloud Captcha: {@code DescribeCaptchaResult} (API 3.0, version 2019-07-22, service {@code captcha}),
 * signed with TC3-HMAC-SHA256 by {@link Tc3Signer} as the SMS sender's calls are. The widget's callback gives a
 * ticket ({@value dev.tongxing.server.ratelimit.SmsChallenge#SOLUTION_FIELD}) and a random string
 * ({@value #RANDSTR_FIELD}); {@code CaptchaCode} 1 is a pass, any other code a failure (a wrong, expired or reused
 * ticket). An {@code Error} in the answer (bad credentials, the service's own trouble) or an HTTP 5xx is no
 * verdict on the person: the check is unavailable.
 */
class TencentCaptcha extends CaptchaChallenge {

	static final String RANDSTR_FIELD = "challenge_randstr";

	static final String CONTENT_TYPE = "application/json; charset=utf-8";

	private final SmsChallengeProperties.Tencent config;

	private final SmsHttp http;

	private final JsonMapper json;

	private final Clock clock;

	TencentCaptcha(SmsChallengeProperties properties, SmsHttp http, JsonMapper json, Clock clock, MeterRegistry meters) {
		super(properties, meters);
		this.config = properties.tencent();
		this.http = http;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String kind() {
		return "tencent";
	}

	@Override
	String challengeValue() {
		return Long.toString(this.config.captchaAppId());
	}

	@Override
	Map<String, String> widget() {
		return Map.of("script", this.config.scriptUrl().toString(), "app-id", challengeValue(), "csp",
				String.join(" ", this.config.csp()));
	}

	@Override
	boolean verify(String ticket, HttpServletRequest request) {
		String randstr = request.getParameter(RANDSTR_FIELD);
		if (randstr == null || randstr.isBlank() || randstr.length() > 256) {
			return false;
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("CaptchaType", 9);
		body.put("Ticket", ticket);
		body.put("UserIp", request.getRemoteAddr() == null ? "" : request.getRemoteAddr());
		body.put("Randstr", randstr);
		body.put("CaptchaAppId", this.config.captchaAppId());
		body.put("AppSecretKey", this.config.appSecretKey());
		String payload = this.json.writeValueAsString(body);
		URI endpoint = this.config.endpoint();
		long timestamp = this.clock.instant().getEpochSecond();
		HttpRequest call = this.http.request(endpoint)
			.header("Authorization", Tc3Signer.authorization(this.config.secretId(), this.config.secretKey(), "captcha",
					SmsHttp.host(endpoint), CONTENT_TYPE, payload, timestamp))
			.header("Content-Type", CONTENT_TYPE)
			.header("X-TC-Action", "DescribeCaptchaResult")
			.header("X-TC-Version", "2019-07-22")
			.header("X-TC-Timestamp", Long.toString(timestamp))
			.POST(HttpRequest.BodyPublishers.ofString(payload))
			.build();
		HttpResponse<String> response;
		try {
			response = this.http.send(call, "Tencent Cloud Captcha", TencentCaptcha::serviceTrouble);
		}
		catch (SmsDeliveryException ex) {
			throw new Unavailable(ex.upstreamError() + ": " + ex.getMessage());
		}
		JsonNode answer = read(response);
		JsonNode error = answer.path("Error");
		if (!error.isMissingNode() || response.statusCode() != 200) {
			throw new Unavailable("Tencent Cloud Captcha answered HTTP " + response.statusCode() + " "
					+ error.path("Code").asString("") + " " + error.path("Message").asString("") + " (RequestId "
					+ answer.path("RequestId").asString("") + ")");
		}
		int code = answer.path("CaptchaCode").asInt(-1);
		if (code == 26) { // "system internal error": no verdict
			throw new Unavailable("Tencent Cloud Captcha CaptchaCode 26 " + answer.path("CaptchaMsg").asString(""));
		}
		return code == 1;
	}

	private JsonNode read(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body()).path("Response");
		}
		catch (JacksonException ex) {
			throw new Unavailable("Tencent Cloud Captcha answered HTTP " + response.statusCode() + " without JSON");
		}
	}

	/** The service's own trouble counts against its breaker: InternalError, or CaptchaCode 26. */
	private static boolean serviceTrouble(HttpResponse<String> response) {
		String body = response.body();
		return body != null && (body.contains("\"InternalError") || body.contains("\"CaptchaCode\":26"));
	}

}
