package dev.tongxing.server.connector.phone;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Aliyun RPC-style API signing (SignatureVersion 1.0, HMAC-SHA1), as documented for dysmsapi: parameters
 * sorted by name and percent-encoded (RFC 3986: space {@code %20}, {@code *} {@code %2A}, {@code ~} kept),
 * {@code METHOD&%2F&encode(query)} signed with {@code secret + "&"}, Base64. (Aliyun's SDK does the same
 * but brings its own HTTP stack.)
 */
public final class AliyunRpcSigner {

	private AliyunRpcSigner() {
	}

	private static final java.time.format.DateTimeFormatter TIMESTAMP = java.time.format.DateTimeFormatter
		.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
		.withZone(java.time.ZoneOffset.UTC);

	/**
	 * The common parameters of every RPC call (JSON answers, HMAC-SHA1, a fresh nonce, the time in UTC); the
	 * caller adds the API's own and signs them all with {@link #signedQuery}.
	 */
	public static Map<String, String> commonParameters(String accessKeyId, String action, String version,
			java.time.Instant now) {
		Map<String, String> parameters = new java.util.LinkedHashMap<>();
		parameters.put("AccessKeyId", accessKeyId);
		parameters.put("Action", action);
		parameters.put("Format", "JSON");
		parameters.put("SignatureMethod", "HMAC-SHA1");
		parameters.put("SignatureNonce", java.util.UUID.randomUUID().toString());
		parameters.put("SignatureVersion", "1.0");
		parameters.put("Timestamp", TIMESTAMP.format(now.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)));
		parameters.put("Version", version);
		return parameters;
	}

	/** The parameters (without {@code Signature}) as the sorted, encoded query string. */
	public static String canonicalQuery(Map<String, String> parameters) {
		return new TreeMap<>(parameters).entrySet()
			.stream()
			.filter(e -> !e.getKey().equals("Signature"))
			.map(e -> percentEncode(e.getKey()) + "=" + percentEncode(e.getValue()))
			.collect(Collectors.joining("&"));
	}

	public static String stringToSign(String method, String canonicalQuery) {
		return method + "&" + percentEncode("/") + "&" + percentEncode(canonicalQuery);
	}

	public static String signature(String accessKeySecret, String stringToSign) {
		try {
			Mac mac = Mac.getInstance("HmacSHA1");
			mac.init(new SecretKeySpec((accessKeySecret + "&").getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
			return Base64.getEncoder().encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The signed request as a form body or query string: the canonical query plus {@code Signature}. */
	public static String signedQuery(String method, Map<String, String> parameters, String accessKeySecret) {
		String canonical = canonicalQuery(parameters);
		return canonical + "&Signature=" + percentEncode(signature(accessKeySecret, stringToSign(method, canonical)));
	}

	public static String percentEncode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8)
			.replace("+", "%20")
			.replace("*", "%2A")
			.replace("%7E", "~");
	}

}
