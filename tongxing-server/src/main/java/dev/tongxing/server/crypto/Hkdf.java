package dev.tongxing.server.crypto;

import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

/** HKDF-SHA256 (RFC 5869), Bouncy Castle's implementation: one secret, many independent keys by purpose. */
final class Hkdf {

	private static final byte[] SALT = "tongxing/pii/v1".getBytes(StandardCharsets.UTF_8);

	private Hkdf() {
	}

	/** A 256-bit key for {@code purpose}, derived from {@code secret}. */
	static byte[] derive(byte[] secret, String purpose) {
		HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
		hkdf.init(new HKDFParameters(secret, SALT, purpose.getBytes(StandardCharsets.UTF_8)));
		byte[] key = new byte[32];
		hkdf.generateBytes(key, 0, key.length);
		return key;
	}

}
