package dev.tongxing.server.crypto;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.DirectDecrypter;
import com.nimbusds.jose.crypto.DirectEncrypter;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;

/**
 * The {@link PersonalDataCipher}: each value is a compact JWE, {@code dir} + {@code A256GCM}, whose
 * {@code kid} names the data key. Why JOSE rather than raw JCA AES/GCM: the format says which key and
 * algorithm sealed a value (so keys rotate and old values still open), Nimbus draws a fresh random 96-bit IV
 * for every value and checks the tag, and the project already trusts it for the master-key ciphertexts. The
 * price, some 70 bytes of header per value, is small next to the columns it protects.
 */
public final class JoseDataCipher implements PersonalDataCipher {

	private final DataKeyProvider keys;

	public JoseDataCipher(DataKeyProvider keys) {
		this.keys = keys;
	}

	@Override
	public String seal(String plaintext) {
		return plaintext == null ? null : sealBytes(plaintext.getBytes(StandardCharsets.UTF_8));
	}

	@Override
	public String open(String sealed) {
		return sealed == null ? null : new String(openBytes(sealed), StandardCharsets.UTF_8);
	}

	/** Seals binary data (e.g. a serialized session attribute). */
	public String sealBytes(byte[] plaintext) {
		String keyId = this.keys.currentKeyId();
		JWEObject jwe = new JWEObject(new JWEHeader.Builder(JWEAlgorithm.DIR, EncryptionMethod.A256GCM).keyID(keyId)
			.build(), new Payload(plaintext));
		try {
			jwe.encrypt(new DirectEncrypter(this.keys.key(keyId)));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Sealing personal data failed", ex);
		}
		return jwe.serialize();
	}

	public byte[] openBytes(String sealed) {
		JWEObject jwe = parse(sealed);
		try {
			jwe.decrypt(new DirectDecrypter(this.keys.key(jwe.getHeader().getKeyID())));
		}
		catch (JOSEException ex) {
			// never the value itself in a message: it is personal data
			throw new IllegalStateException("Opening sealed personal data failed (key '" + jwe.getHeader().getKeyID()
					+ "'): tampered, truncated or sealed under another key with the same id", ex);
		}
		return jwe.getPayload().toBytes();
	}

	@Override
	public String lookupHash(String purpose, String value) {
		return Digests.hmacSha256Hex(this.keys.lookupHashKey().getEncoded(), purpose + "\u0000" + value);
	}

	/** The id of the data key that sealed a value. */
	public String keyIdOf(String sealed) {
		return parse(sealed).getHeader().getKeyID();
	}

	/** Whether a value was sealed under an older key than the current one. */
	public boolean needsRekey(String sealed) {
		return !this.keys.currentKeyId().equals(keyIdOf(sealed));
	}

	/** The same plaintext sealed under the current key. */
	public String reseal(String sealed) {
		return sealBytes(openBytes(sealed));
	}

	/**
	 * Whether a stored value is a sealed one (a {@code dir}/{@code A256GCM} compact JWE) rather than a value
	 * written in clear before encryption at rest existed.
	 */
	public static boolean isSealed(String value) {
		if (value == null || !value.startsWith("eyJ") || value.chars().filter(c -> c == '.').count() != 4) {
			return false;
		}
		try {
			JWEHeader header = JWEObject.parse(value).getHeader();
			return JWEAlgorithm.DIR.equals(header.getAlgorithm())
					&& EncryptionMethod.A256GCM.equals(header.getEncryptionMethod());
		}
		catch (ParseException ex) {
			return false;
		}
	}

	private static JWEObject parse(String sealed) {
		try {
			JWEObject jwe = JWEObject.parse(sealed);
			if (!JWEAlgorithm.DIR.equals(jwe.getHeader().getAlgorithm())
					|| !EncryptionMethod.A256GCM.equals(jwe.getHeader().getEncryptionMethod())) {
				throw new IllegalArgumentException("Not sealed personal data: unexpected JWE algorithm");
			}
			return jwe;
		}
		catch (ParseException ex) {
			throw new IllegalArgumentException("Not sealed personal data (not a compact JWE)");
		}
	}

}
