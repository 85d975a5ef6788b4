package dev.tongxing.server.connector.phone.carrier;

import com.sun.net.httpserver.HttpServer;
import dev.tongxing.server.connector.phone.AliyunRpcSigner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Aliyun's number verification as the gateway sees it: {@code GetMobile} POSTed as a signed form, answering
 * the number behind a token it issued, once. It checks the access key and the signature (recomputed with the
 * secret) like the service does. The codes for a token it does not honour ({@code isv.TOKEN_INVALID}) stand in
 * for the service's token errors; {@code InvalidAccessKeyId.NotFound} and {@code SignatureDoesNotMatch} are
 * Aliyun's own.
 */
final class DypnsEmulator implements AutoCloseable {

	static final String ACCESS_KEY_ID = "LTAI-test-carrier";

	static final String ACCESS_KEY_SECRET = "carrier-secret";

	enum Mood {

		WORKING, DOWN, NO_BALANCE

	}

	private final HttpServer server;

	private final Map<String, String> tokens = new ConcurrentHashMap<>();

	private final AtomicInteger calls = new AtomicInteger();

	private volatile Mood mood = Mood.WORKING;

	DypnsEmulator() {
		try {
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.createContext("/", exchange -> {
			byte[] body;
			int status = 200;
			if ("HEAD".equals(exchange.getRequestMethod())) {
				exchange.sendResponseHeaders(this.mood == Mood.DOWN ? 503 : 404, -1);
				exchange.close();
				return;
			}
			this.calls.incrementAndGet();
			Map<String, String> form = parse(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
			String answer;
			if (this.mood == Mood.DOWN) {
				status = 503;
				answer = error("ServiceUnavailable", "The request has failed due to a temporary failure of the server.");
			}
			else if (!ACCESS_KEY_ID.equals(form.get("AccessKeyId"))) {
				status = 404;
				answer = error("InvalidAccessKeyId.NotFound", "Specified access key is not found.");
			}
			else if (!signed(form)) {
				status = 400;
				answer = error("SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");
			}
			else if (!"GetMobile".equals(form.get("Action")) || !"2017-05-25".equals(form.get("Version"))) {
				status = 400;
				answer = error("InvalidAction.NotFound", "Specified api is not found.");
			}
			else if (this.mood == Mood.NO_BALANCE) {
				answer = error("isv.AMOUNT_NOT_ENOUGH", "账户余额不足");
			}
			else {
				String mobile = form.get("AccessToken") == null ? null : this.tokens.remove(form.get("AccessToken"));
				answer = mobile == null ? error("isv.TOKEN_INVALID", "token 无效或已使用")
						: "{\"Code\":\"OK\",\"Message\":\"OK\",\"RequestId\":\"" + UUID.randomUUID()
								+ "\",\"GetMobileResultDTO\":{\"Mobile\":\"" + mobile + "\"}}";
			}
			body = answer.getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json;charset=utf-8");
			exchange.sendResponseHeaders(status, body.length);
			exchange.getResponseBody().write(body);
			exchange.close();
		});
		this.server.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/";
	}

	/** A token for the device's number (mainland, as the service answers it: 11 digits). */
	String issue(String mobile) {
		String token = "STS." + UUID.randomUUID().toString().replace("-", "");
		this.tokens.put(token, mobile);
		return token;
	}

	void mood(Mood mood) {
		this.mood = mood;
	}

	int calls() {
		return this.calls.get();
	}

	private static boolean signed(Map<String, String> form) {
		String signature = form.get("Signature");
		String expected = AliyunRpcSigner.signature(ACCESS_KEY_SECRET,
				AliyunRpcSigner.stringToSign("POST", AliyunRpcSigner.canonicalQuery(form)));
		return expected.equals(signature);
	}

	private static String error(String code, String message) {
		return "{\"Code\":\"" + code + "\",\"Message\":\"" + message + "\",\"RequestId\":\"" + UUID.randomUUID() + "\"}";
	}

	private static Map<String, String> parse(String body) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : body.split("&")) {
			int eq = pair.indexOf('=');
			if (eq > 0) {
				form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
