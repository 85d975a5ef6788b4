package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tencent Cloud SMS: API 3.0 {@code SendSms} (version 2021-01-11), signed with TC3-HMAC-SHA256. The code's
 * template gets the code as its only parameter; a notice goes out through the template configured for its kind
 * ({@code notice-templates}), its values in the kind's order.
 */
class TencentSmsSender implements SmsSender {

	static final String CONTENT_TYPE = "application/json; charset=utf-8";

	private final SmsProperties.Tencent config;

	private final SmsHttp http;

	private final JsonMapper json;

	private final Clock clock;

	TencentSmsSender(SmsProperties.Tencent config, SmsHttp http, JsonMapper json, Clock clock) {
		this.config = config;
		this.http = http;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "tencent";
	}

	@Override
	public void send(SmsMessage message) {
		sendWithId(message);
	}

	@Override
	public boolean sends(String kind) {
		return SmsMessage.VERIFICATION_CODE.equals(kind) || kind != null && this.config.noticeTemplates().containsKey(kind);
	}

	@Override
	public java.util.Optional<String> sendWithId(SmsMessage message) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("PhoneNumberSet", List.of(message.phone()));
		body.put("SmsSdkAppId", this.config.sdkAppId());
		body.put("SignName", this.config.signName());
		if (NoticeKind.of(message.template()).isEmpty()) {
			body.put("TemplateId", this.config.templateId());
			body.put("TemplateParamSet", List.of(message.code()));
		}
		else {
			String template = this.config.noticeTemplates().get(message.template());
			if (template == null || message.params().isEmpty()) {
				// before any request: nothing was sent, and another provider may send it
				throw new SmsDeliveryException("Tencent Cloud SMS has no template for " + message.template()
						+ " (tongxing.sms.tencent.notice-templates." + message.template() + ")");
			}
			body.put("TemplateId", template);
			body.put("TemplateParamSet", List.copyOf(message.params().values()));
		}
		String payload = this.json.writeValueAsString(body);
		URI endpoint = this.config.endpoint();
		long timestamp = this.clock.instant().getEpochSecond();
		HttpRequest request = this.http.request(endpoint)
			.header("Authorization", Tc3Signer.authorization(this.config.secretId(), this.config.secretKey(), "sms",
					SmsHttp.host(endpoint), CONTENT_TYPE, payload, timestamp))
			.header("Content-Type", CONTENT_TYPE)
			.header("X-TC-Action", "SendSms")
			.header("X-TC-Version", "2021-01-11")
			.header("X-TC-Timestamp", Long.toString(timestamp))
			.header("X-TC-Region", this.config.region())
			.POST(HttpRequest.BodyPublishers.ofString(payload))
			.build();
		HttpResponse<String> response = this.http.send(request, "Tencent Cloud SMS",
				// the provider's own trouble, as SmsProviderCodes says, counts against its breaker
				answer -> SmsProviderCodes.tencent(errorCode(answer)) == LoginFailureCause.UPSTREAM_UNAVAILABLE);
		return check(response);
	}

	/** {@code Response.Error.Code} of an answer, or "" when it has none (or is no JSON). */
	private String errorCode(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body()).path("Response").path("Error").path("Code").asString("");
		}
		catch (JacksonException ex) {
			return "";
		}
	}

	/** The message's {@code SerialNo}, which its delivery receipt names as {@code sid}. */
	private java.util.Optional<String> check(HttpResponse<String> response) {
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body()).path("Response");
		}
		catch (JacksonException ex) {
			throw SmsDeliveryException.answered("Tencent Cloud SMS answered HTTP " + response.statusCode() + " without JSON",
					response.statusCode());
		}
		JsonNode error = answer.path("Error");
		if (!error.isMissingNode()) {
			String code = error.path("Code").asString("");
			throw new SmsDeliveryException("Tencent Cloud SMS refused: " + code + " " + error.path("Message").asString("")
					+ " (RequestId " + answer.path("RequestId").asString("") + ")", code, SmsProviderCodes.tencent(code));
		}
		JsonNode status = answer.path("SendStatusSet").path(0);
		String statusCode = status.path("Code").asString("");
		if (response.statusCode() == 200 && !statusCode.isEmpty() && !"Ok".equalsIgnoreCase(statusCode)) {
			// sent to Tencent, refused for this number (e.g. its daily limit, or not a valid number)
			throw new SmsDeliveryException("Tencent Cloud SMS did not send: " + statusCode + " "
					+ status.path("Message").asString("") + " (RequestId " + answer.path("RequestId").asString("") + ")",
					statusCode, SmsProviderCodes.tencent(statusCode));
		}
		if (response.statusCode() != 200 || !"Ok".equalsIgnoreCase(statusCode)) {
			throw SmsDeliveryException.answered("Tencent Cloud SMS did not send: HTTP " + response.statusCode() + " "
					+ status.path("Code").asString("") + " " + status.path("Message").asString("") + " (RequestId "
					+ answer.path("RequestId").asString("") + ")", response.statusCode());
		}
		String serial = status.path("SerialNo").asString("");
		return serial.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(serial);
	}

	@Override
	public java.util.Optional<Runnable> probe() {
		return java.util.Optional.of(() -> this.http.probe(this.config.endpoint(), "Tencent Cloud SMS"));
	}

}
