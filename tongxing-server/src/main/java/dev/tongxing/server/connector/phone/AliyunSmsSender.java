package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Aliyun SMS: dysmsapi {@code SendSms} (version 2017-05-25), an RPC-style call POSTed as a form and signed
 * with HMAC-SHA1. The code's template gets {@code {"code": "…"}}; a notice goes out through the template configured
 * for its kind ({@code notice-templates}), its values named as the kind names them.
 */
class AliyunSmsSender implements SmsSender {

	private final SmsProperties.Aliyun config;

	private final SmsHttp http;

	private final JsonMapper json;

	private final Clock clock;

	AliyunSmsSender(SmsProperties.Aliyun config, SmsHttp http, JsonMapper json, Clock clock) {
		this.config = config;
		this.http = http;
		this.json = json;
		this.clock = clock;
	}

	@Override
	public String name() {
		return "aliyun";
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
		Map<String, String> parameters = AliyunRpcSigner.commonParameters(this.config.accessKeyId(), "SendSms",
				"2017-05-25", this.clock.instant());
		parameters.put("RegionId", this.config.regionId());
		// international format without the plus, which dysmsapi takes for mainland numbers too
		parameters.put("PhoneNumbers", message.phone().substring(1));
		parameters.put("SignName", this.config.signName());
		if (NoticeKind.of(message.template()).isEmpty()) {
			parameters.put("TemplateCode", this.config.templateCode());
			parameters.put("TemplateParam", this.json.writeValueAsString(Map.of("code", message.code())));
		}
		else {
			String template = this.config.noticeTemplates().get(message.template());
			if (template == null || message.params().isEmpty()) {
				// before any request: nothing was sent, and another provider may send it
				throw new SmsDeliveryException("Aliyun SMS has no template for " + message.template()
						+ " (tongxing.sms.aliyun.notice-templates." + message.template() + ")");
			}
			parameters.put("TemplateCode", template);
			parameters.put("TemplateParam", this.json.writeValueAsString(message.params()));
		}
		HttpRequest request = this.http.request(this.config.endpoint())
			.header("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
			.POST(HttpRequest.BodyPublishers
				.ofString(AliyunRpcSigner.signedQuery("POST", parameters, this.config.accessKeySecret())))
			.build();
		return check(this.http.send(request, "Aliyun SMS", answer -> SmsProviderCodes.aliyun(code(answer)) == LoginFailureCause.UPSTREAM_UNAVAILABLE));
	}

	/** The answer's {@code Code}, or "" when it has none (or is no JSON). */
	private String code(HttpResponse<String> response) {
		try {
			return this.json.readTree(response.body()).path("Code").asString("");
		}
		catch (JacksonException ex) {
			return "";
		}
	}

	/** The message's {@code BizId}, which its delivery receipt names as {@code biz_id}. */
	private java.util.Optional<String> check(HttpResponse<String> response) {
		JsonNode answer;
		try {
			answer = this.json.readTree(response.body());
		}
		catch (JacksonException ex) {
			throw SmsDeliveryException.answered("Aliyun SMS answered HTTP " + response.statusCode() + " without JSON",
					response.statusCode());
		}
		String code = answer.path("Code").asString("");
		if (response.statusCode() == 200 && !code.isEmpty() && !"OK".equals(code)) {
			throw new SmsDeliveryException("Aliyun SMS did not send: " + code + " " + answer.path("Message").asString("")
					+ " (RequestId " + answer.path("RequestId").asString("") + ")", code, SmsProviderCodes.aliyun(code));
		}
		if (response.statusCode() != 200 || !"OK".equals(code)) {
			throw SmsDeliveryException.answered("Aliyun SMS did not send: HTTP " + response.statusCode() + " "
					+ answer.path("Code").asString("") + " " + answer.path("Message").asString("") + " (RequestId "
					+ answer.path("RequestId").asString("") + ")", response.statusCode());
		}
		String bizId = answer.path("BizId").asString("");
		return bizId.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(bizId);
	}

	@Override
	public java.util.Optional<Runnable> probe() {
		return java.util.Optional.of(() -> this.http.probe(this.config.endpoint(), "Aliyun SMS"));
	}

}
