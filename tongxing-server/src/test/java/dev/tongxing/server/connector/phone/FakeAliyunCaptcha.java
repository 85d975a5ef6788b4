package dev.tongxing.server.connector.phone;

import com.sun.net.httpserver.HttpExchange;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Aliyun captcha 2.0's {@code VerifyIntelligentCaptcha} (version 2023-03-05) as far as the gateway can tell: the
 * signature checked by {@link FakeAliyunRpcApi}, then the verify parameter: one the "widget" handed out
 * ({@link #pass}) for the configured scene passes once ({@code VerifyResult} true, {@code T001}), anything else
 * fails ({@code F001}). {@link #trouble} makes it answer the service's own trouble. It also serves a stand-in
 * for the widget script at {@code /AliyunCaptcha.js}: {@code initAliyunCaptcha} calls {@code success} with
 * {@value #WIDGET_PARAM} when the button is clicked.
 */
class FakeAliyunCaptcha extends FakeAliyunRpcApi {

	static final String WIDGET_PARAM = "{\"sceneId\":\"widget\",\"certifyId\":\"c3rt\",\"securityToken\":\"t0k\"}";

	private final String sceneId;

	private final Set<String> params = ConcurrentHashMap.newKeySet();

	/** {@code internal-error}, {@code http-500}, or null for a healthy service. */
	volatile String trouble;

	FakeAliyunCaptcha(String accessKeyId, String accessKeySecret, Clock clock, String sceneId) {
		super(accessKeyId, accessKeySecret, clock, "VerifyIntelligentCaptcha", "2023-03-05");
		this.sceneId = sceneId;
		pass(WIDGET_PARAM);
	}

	void pass(String captchaVerifyParam) {
		this.params.add(captchaVerifyParam);
	}

	@Override
	Reply handle(HttpExchange exchange, String body) {
		if ("GET".equals(exchange.getRequestMethod()) && exchange.getRequestURI().getPath().equals("/AliyunCaptcha.js")) {
			return new Reply(200, "application/javascript", """
					window.initAliyunCaptcha = function (options) {
					  if (!window.AliyunCaptchaConfig || !window.AliyunCaptchaConfig.prefix) { options.fail(); return; }
					  document.querySelector(options.button).addEventListener('click', function () {
					    options.success(%s);
					  });
					};
					""".formatted(tools.jackson.databind.json.JsonMapper.shared().writeValueAsString(WIDGET_PARAM)));
		}
		if ("http-500".equals(this.trouble)) {
			return Reply.json(500, "{}");
		}
		return super.handle(exchange, body);
	}

	@Override
	Reply answer(Map<String, String> form) {
		if ("internal-error".equals(this.trouble)) {
			return Reply.json(503, "{\"RequestId\":\"a-0\",\"Code\":\"ServiceUnavailable\",\"Message\":\"busy\"}");
		}
		boolean passed = this.sceneId.equals(form.get("SceneId")) && form.get("CaptchaVerifyParam") != null
				&& this.params.remove(form.get("CaptchaVerifyParam"));
		return Reply.json(200, "{\"RequestId\":\"a-1\",\"Success\":true,\"Code\":\"Success\",\"Message\":\"success\","
				+ "\"HttpStatusCode\":200,\"Result\":{\"VerifyResult\":" + passed + ",\"VerifyCode\":\""
				+ (passed ? "T001" : "F001") + "\"}}");
	}

}
