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
