package dev.tongxing.server.connector.phone;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tencent Cloud API 3.0 request signing, TC3-HMAC-SHA256, exactly as the "Signature v3" document lays it
 * out, for a POST whose signed headers are {@code content-type} and {@code host}. (Tencent's Java SDK does
 * the same, but would bring its own HTTP and JSON stack for one call.)
 */
final class Tc3Signer {

	static final String ALGORITHM = "TC3-HMAC-SHA256";

	static final String SIGNED_HEADERS = "content-type;host";

	private static final DateTimeFormatter DATE = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

	private Tc3Signer() {
	}

	/** The {@code Authorization} header for a POST of {@code payload} to {@code host}. */
	static String authorization(String secretId, String secretKey, String service, String host, String contentType,
			String payload, long timestamp) {
		String date = DATE.format(Instant.ofEpochSecond(timestamp));
		String scope = date + "/" + service + "/tc3_request";
		String stringToSign = stringToSign(timestamp, scope, canonicalRequest(contentType, host, payload));
		return ALGORITHM + " Credential=" + secretId + "/" + scope + ", SignedHeaders=" + SIGNED_HEADERS
				+ ", Signature=" + signature(secretKey, date, service, stringToSign);
	}

	/** Step 1: method, URI, query, canonical headers, signed headers, payload hash. */
	static String canonicalRequest(String contentType, String host, String payload) {
		String canonicalHeaders = "content-type:" + contentType.strip().toLowerCase(java.util.Locale.ROOT) + "\n"
				+ "host:" + host.strip().toLowerCase(java.util.Locale.ROOT) + "\n";
		return "POST\n/\n\n" + canonicalHeaders + "\n" + SIGNED_HEADERS + "\n" + sha256Hex(payload);
	}

	/** Step 2. */
	static String stringToSign(long timestamp, String credentialScope, String canonicalRequest) {
		return ALGORITHM + "\n" + timestamp + "\n" + credentialScope + "\n" + sha256Hex(canonicalRequest);
	}

	/** Step 3: the key derived from the secret, the date and the service signs the string. */
	static String signature(String secretKey, String date, String service, String stringToSign) {
		byte[] secretDate = hmacSha256(("TC3" + secretKey).getBytes(StandardCharsets.UTF_8), date);
		byte[] secretService = hmacSha256(secretDate, service);
		byte[] secretSigning = hmacSha256(secretService, "tc3_request");
		return HexFormat.of().formatHex(hmacSha256(secretSigning, stringToSign));
	}

	static String sha256Hex(String text) {
		try {
			return HexFormat.of()
				.formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static byte[] hmacSha256(byte[] key, String message) {
		try {
			Mac mac = Mac.getInstance("HmacSHA256");
			mac.init(new SecretKeySpec(key, "HmacSHA256"));
			return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
