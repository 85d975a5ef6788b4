package dev.tongxing.server.connector.phone;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Tencent Cloud API 3.0 endpoint as far as a caller can tell: it checks the TC3-HMAC-SHA256 signature the way
 * the services do, recomputing it from the request it actually received (its own code, not the gateway's
 * signer), refuses another action or version and a stale timestamp, and answers errors in the API 3.0 shape.
 * What an accepted request gets is the service's ({@link FakeTencentSms}, {@link FakeTencentCaptcha}).
 */
abstract class FakeTencentCloudApi extends FakeHttpServer {

	private static final Pattern AUTHORIZATION = Pattern.compile(
			"TC3-HMAC-SHA256 Credential=([^/]+)/(\\d{4}-\\d{2}-\\d{2})/([a-z]+)/tc3_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})");

	private final String secretId;

	private final String secretKey;

	private final Clock clock;

	final List<JsonNode> accepted = new CopyOnWriteArrayList<>();

	final List<String> refusals = new CopyOnWriteArrayList<>();

	private final String service;

	private final String action;

	private final String version;

	FakeTencentCloudApi(String secretId, String secretKey, Clock clock, String service, String action, String version) {
		this.secretId = secretId;
		this.secretKey = secretKey;
		this.clock = clock;
		this.service = service;
		this.action = action;
		this.version = version;
	}

	/** The service's answer to a request whose signature, action and time are right. */
	abstract Reply answer(JsonNode request);

	@Override
	Reply handle(HttpExchange exchange, String body) {
		String refusal = refusal(exchange, body);
		if (refusal != null) {
			this.refusals.add(refusal);
			return Reply.json(200, "{\"Response\":{\"Error\":{\"Code\":\"" + refusal
					+ "\",\"Message\":\"refused by fake\"},\"RequestId\":\"req-1\"}}");
		}
		JsonNode request = JsonMapper.shared().readTree(body);
		this.accepted.add(request);
		return answer(request);
	}

	private String refusal(HttpExchange exchange, String body) {
		var headers = exchange.getRequestHeaders();
		if (!"POST".equals(exchange.getRequestMethod()) || !this.action.equals(headers.getFirst("X-TC-Action"))
				|| !this.version.equals(headers.getFirst("X-TC-Version"))) {
			return "InvalidAction";
		}
		Matcher auth = AUTHORIZATION.matcher(String.valueOf(headers.getFirst("Authorization")));
		if (!auth.matches() || !auth.group(1).equals(this.secretId)) {
			return "AuthFailure.SecretIdNotFound";
		}
		long timestamp = Long.parseLong(headers.getFirst("X-TC-Timestamp"));
		if (Math.abs(timestamp - this.clock.instant().getEpochSecond()) > 300) {
			return "AuthFailure.SignatureExpire";
		}
		String date = auth.group(2);
		String service = auth.group(3);
		if (!service.equals(this.service) || !LocalDate.ofInstant(Instant.ofEpochSecond(timestamp), ZoneOffset.UTC)
			.toString()
			.equals(date)) {
			return "AuthFailure.SignatureFailure";
		}
		List<String> signed = List.of(auth.group(4).split(";"));
		if (!signed.contains("content-type") || !signed.contains("host")) {
			return "AuthFailure.SignatureFailure";
		}
		StringBuilder canonicalHeaders = new StringBuilder();
		for (String name : signed) {
			canonicalHeaders.append(name)
				.append(':')
				.append(String.valueOf(headers.getFirst(name)).trim().toLowerCase(Locale.ROOT))
				.append('\n');
		}
		String canonicalRequest = String.join("\n", "POST", "/", "", canonicalHeaders.toString(), auth.group(4),
				hex(sha256(body)));
		String stringToSign = String.join("\n", "TC3-HMAC-SHA256", Long.toString(timestamp),
				date + "/" + service + "/tc3_request", hex(sha256(canonicalRequest)));
		byte[] key = ("TC3" + this.secretKey).getBytes(StandardCharsets.UTF_8);
		for (String part : new String[] { date, service, "tc3_request" }) {
			key = hmac(key, part);
		}
		if (!MessageDigest.isEqual(hex(hmac(key, stringToSign)).getBytes(StandardCharsets.US_ASCII),
				auth.group(5).getBytes(StandardCharsets.US_ASCII))) {
			return "AuthFailure.SignatureFailure";
		}
		return null;
	}

	private static byte[] sha256(String text) {
		try {
			return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] hmac(byte[] key, String text) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String hex(byte[] bytes) {
		return HexFormat.of().formatHex(bytes);
	}

}
