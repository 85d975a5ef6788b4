package dev.tongxing.server.crypto;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.text.ParseException;
import java.util.Base64;
import java.util.Map;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts secrets at rest (signing keys, upstream app secrets) under the gateway's master key.
 * Ciphertexts are compact JWEs (dir + A256GCM) whose {@code kid} names the master key, so keys can be
 * rotated: old ones stay configured for decryption while new data uses the current one.
 */
public final class MasterKeyCipher {

	private final String currentKeyId;

	private final Map<String, SecretKey> keys;

	public MasterKeyCipher(String currentKeyId, Map<String, String> base64Keys) {
		if (currentKeyId == null || !base64Keys.containsKey(currentKeyId)) {
			throw new IllegalStateException("tongxing.keys.master-key-id '" + currentKeyId
					+ "' does not name a configured master key (tongxing.keys.master-keys)");
		}
		this.currentKeyId = currentKeyId;
		this.keys = Map.copyOf(base64Keys.entrySet()
			.stream()
			.collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, e -> toKey(e.getKey(), e.getValue()))));
	}

	private static SecretKey toKey(String id, String base64) {
		byte[] raw;
		try {
			raw = Base64.getDecoder().decode(base64.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("Master key '" + id + "' is not valid Base64", ex);
		}
		if (raw.length != 32) {
			throw new IllegalStateException(
					"Master key '" + id + "' must be 32 bytes (256 bits) of Base64, got " + raw.length + " bytes");
		}
		return new SecretKeySpec(raw, "AES");
	}

	public String currentKeyId() {
		return this.currentKeyId;
	}

	public String encrypt(String plaintext) {
		JWEHeader header = new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM)
			.keyID(this.currentKeyId)
			.build();
		JWEObject jwe = new JWEObject(header, new Payload(plaintext));
		try {
			jwe.encrypt(new DirectEncrypter(this.keys.get(this.currentKeyId)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Encryption under the master key failed", ex);
		}
		return jwe.serialize();
	}

	public String decrypt(String compactJwe) {
		try {
			JWEObject jwe = JWEObject.parse(compactJwe);
			SecretKey key = this.keys.get(jwe.getHeader().getKeyID());
			if (key == null) {
				throw new IllegalStateException("Data is encrypted under master key '" + jwe.getHeader().getKeyID()
						+ "', which is not configured");
			}
			jwe.decrypt(new DirectDecrypter(key));
			return jwe.getPayload().toString();
		}
		catch (ParseException | JOSEException ex) {
			throw new IllegalStateException("Decryption under the master key failed", ex);
		}
	}

}
