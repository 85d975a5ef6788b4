package dev.tongxing.server.connector.phone;

import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.JsonNode;

/**
 * Tencent Cloud Captcha's {@code DescribeCaptchaResult} (service {@code captcha}, version 2019-07-22) as far as the
 * gateway can tell: the signature checked by {@link FakeTencentCloudApi}, then the ticket: one the "widget"
 * handed out ({@link #pass}) with its random string passes once ({@code CaptchaCode} 1), again it is reused (9),
 * with another random string no match (7), unknown it cannot be decrypted (15); a wrong app or app secret key is
 * 16 / 100. {@link #trouble} makes it answer the service's own trouble. It also serves a stand-in for the widget
 * script at {@code /TCaptcha.js}: {@code new TencentCaptcha(appId, callback).show()} calls back at once with
 * ticket {@value #WIDGET_TICKET}.
 */
class FakeTencentCaptcha extends FakeTencentCloudApi {

	static final String WIDGET_TICKET = "tr-widget-ticket";

	static final String WIDGET_RANDSTR = "@w1d";

	private final long appId;

	private final String appSecretKey;

	private final Map<String, String> tickets = new ConcurrentHashMap<>();

	private final java.util.Set<String> used = ConcurrentHashMap.newKeySet();

	/** {@code internal-error}, {@code http-500}, or null for a healthy service. */
	volatile String trouble;

	FakeTencentCaptcha(String secretId, String secretKey, Clock clock, long appId, String appSecretKey) {
		super(secretId, secretKey, clock, "captcha", "DescribeCaptchaResult", "2019-07-22");
		this.appId = appId;
		this.appSecretKey = appSecretKey;
		pass(WIDGET_TICKET, WIDGET_RANDSTR);
	}

	/** A ticket the widget handed to a person who passed. */
	void pass(String ticket, String randstr) {
		this.tickets.put(ticket, randstr);
	}

	@Override
	Reply handle(HttpExchange exchange, String body) {
		if ("GET".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().equals("/TCaptcha.js")) {
			return new Reply(200, "application/javascript", """
					window.TencentCaptcha = function (appId, callback) {
					  this.show = function () {
					    callback({ ret: 0, appid: appId, ticket: '%s', randstr: '%s' });
					  };
					};
					""".formatted(WIDGET_TICKET, WIDGET_RANDSTR));
		}
		if ("http-500".equals(this.trouble)) {
			return Reply.json(500, "{}");
		}
		return super.handle(exchange, body);
	}

	@Override
	Reply answer(JsonNode request) {
		if ("internal-error".equals(this.trouble)) {
			return Reply.json(200, "{\"Response\":{\"Error\":{\"Code\":\"InternalError\",\"Message\":\"busy\"},"
					+ "\"RequestId\":\"c-0\"}}");
		}
		if (request.path("CaptchaType").asInt() != 9 || request.path("UserIp").asString("").isEmpty()) {
			return Reply.json(200, "{\"Response\":{\"Error\":{\"Code\":\"InvalidParameter\",\"Message\":\"bad\"},"
					+ "\"RequestId\":\"c-1\"}}");
		}
		int code;
		if (request.path("CaptchaAppId").asLong() != this.appId) {
			code = 16;
		}
		else if (!this.appSecretKey.equals(request.path("AppSecretKey").asString(""))) {
			code = 100;
		}
		else {
			String ticket = request.path("Ticket").asString("");
			String randstr = this.tickets.get(ticket);
			if (this.used.contains(ticket)) {
				code = 9;
			}
			else if (randstr == null) {
				code = 15;
			}
			else if (!randstr.equals(request.path("Randstr").asString(""))) {
				code = 7;
			}
			else {
				code = this.tickets.remove(ticket, randstr) && this.used.add(ticket) ? 1 : 9;
			}
		}
		return Reply.json(200, "{\"Response\":{\"CaptchaCode\":" + code + ",\"CaptchaMsg\":\"" + (code == 1 ? "OK" : "no")
				+ "\",\"EvilLevel\":0,\"GetCaptchaTime\":0,\"RequestId\":\"c-2\"}}");
	}

}
