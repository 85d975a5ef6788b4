package dev.tongxing.server.connector.phone;

import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An Aliyun RPC-style API as far as a caller can tell: it recomputes the HMAC-SHA1 signature from the form it
 * received (its own encoder, not the gateway's signer), refuses another action or version, stale timestamps
 * and reused nonces, and answers errors in the RPC JSON shape. What an accepted request gets is the service's
 * ({@link FakeAliyunSms}, {@link FakeAliyunCaptcha}).
 */
abstract class FakeAliyunRpcApi extends FakeHttpServer {

	private final String accessKeyId;

	private final String accessKeySecret;

	private final Clock clock;

	private final Set<String> nonces = ConcurrentHashMap.newKeySet();

	final List<Map<String, String>> accepted = new CopyOnWriteArrayList<>();

	final List<String> refusals = new CopyOnWriteArrayList<>();

	private final String action;

	private final String version;

	FakeAliyunRpcApi(String accessKeyId, String accessKeySecret, Clock clock, String action, String version) {
		this.accessKeyId = accessKeyId;
		this.accessKeySecret = accessKeySecret;
		this.clock = clock;
		this.action = action;
		this.version = version;
	}

	/** The service's answer to a request whose signature, action, time and nonce are right. */
	abstract Reply answer(Map<String, String> form);

	@Override
	Reply handle(HttpExchange exchange, String body) {
		Map<String, String> form = new TreeMap<>();
		for (String pair : body.split("&")) {
			int eq = pair.indexOf('=');
			form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
					URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		String refusal = refusal(exchange.getRequestMethod(), form);
		if (refusal != null) {
			this.refusals.add(refusal);
			return Reply.json(400, "{\"Code\":\"" + refusal + "\",\"Message\":\"refused by fake\",\"RequestId\":\"r-1\"}");
		}
		this.accepted.add(form);
		return answer(form);
	}

	private String refusal(String method, Map<String, String> form) {
		if (!this.action.equals(form.get("Action")) || !this.version.equals(form.get("Version"))) {
			return "InvalidAction.NotFound";
		}
		if (!this.accessKeyId.equals(form.get("AccessKeyId"))) {
			return "InvalidAccessKeyId.NotFound";
		}
		if (!"HMAC-SHA1".equals(form.get("SignatureMethod")) || !"1.0".equals(form.get("SignatureVersion"))) {
			return "InvalidSignatureMethod";
		}
		Instant timestamp = Instant.parse(form.get("Timestamp"));
		if (Duration.between(timestamp, this.clock.instant()).abs().compareTo(Duration.ofMinutes(15)) > 0) {
			return "InvalidTimeStamp.Expired";
		}
		if (form.get("SignatureNonce") == null || !this.nonces.add(form.get("SignatureNonce"))) {
			return "SignatureNonceUsed";
		}
		String canonical = form.entrySet()
			.stream()
			.filter(e -> !e.getKey().equals("Signature"))
			.map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
			.collect(Collectors.joining("&"));
		String stringToSign = method + "&" + encode("/") + "&" + encode(canonical);
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec((this.accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			byte[] expected = mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8));
			byte[] given = Base64.getDecoder().decode(String.valueOf(form.get("Signature")));
			return MessageDigest.isEqual(expected, given) ? null : "SignatureDoesNotMatch";
		}
		catch (Exception ex) {
			return "SignatureDoesNotMatch";
		}
	}

	/** RFC 3986 percent-encoding of UTF-8: unreserved characters as they are, every other byte as %XX. */
	private static String encode(String value) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'
					|| c == '.' || c == '~') {
				out.write(c);
			}
			else {
				out.writeBytes(String.format("%%%02X", b & 0xff).getBytes(StandardCharsets.US_ASCII));
			}
		}
		return out.toString(StandardCharsets.US_ASCII);
	}

}
