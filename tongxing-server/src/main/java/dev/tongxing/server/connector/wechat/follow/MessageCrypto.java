package dev.tongxing.server.connector.wechat.follow;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * WeChat's message signatures and safe-mode encryption, with the JDK only: a signature is the hex SHA-1 of the
 * sorted, concatenated token, timestamp and nonce (and, for {@code msg_signature}, the {@code Encrypt} text); the
 * AES key is Base64(EncodingAESKey + "="), 32 bytes, AES-256-CBC with its first 16 bytes as IV, over random(16) +
 * length(4, big-endian) + message + appid, padded PKCS#7-style to a multiple of 32 bytes.
 */
final class MessageCrypto {

	private static final int BLOCK = 32;

	private MessageCrypto() {
	}

	static String signature(String... parts) {
		String[] sorted = parts.clone();
		Arrays.sort(sorted);
		try {
			MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
			return HexFormat.of().formatHex(sha1.digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Compares a signature received with the one expected, in constant time. */
	static boolean matches(String expected, String received) {
		return received != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
				received.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
	}

	/** The AES key of an EncodingAESKey; {@link IllegalArgumentException} when it is not one. */
	static byte[] aesKey(String encodingAesKey) {
		if (encodingAesKey == null || encodingAesKey.length() != 43) {
			throw new IllegalArgumentException("an EncodingAESKey is 43 characters");
		}
		byte[] key = Base64.getDecoder().decode(encodingAesKey + "=");
		if (key.length != 32) {
			throw new IllegalArgumentException("an EncodingAESKey decodes to 32 bytes");
		}
		return key;
	}

	static String encrypt(byte[] key, String appid, byte[] random16, String message) {
		byte[] msg = message.getBytes(StandardCharsets.UTF_8);
		byte[] app = appid.getBytes(StandardCharsets.UTF_8);
		int plain = 16 + 4 + msg.length + app.length;
		int pad = BLOCK - (plain % BLOCK);
		ByteBuffer buf = ByteBuffer.allocate(plain + pad);
		buf.put(random16).putInt(msg.length).put(msg).put(app);
		for (int i = 0; i < pad; i++) {
			buf.put((byte) pad);
		}
		return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, key, buf.array()));
	}

	/**
	 * The message inside {@code encrypt}, which must have been made for {@code appid}.
	 * @throws IllegalArgumentException when it cannot be opened, is malformed or is another app's
	 */
	static String decrypt(byte[] key, String appid, String encrypt) {
		byte[] bytes;
		try {
			bytes = aes(Cipher.DECRYPT_MODE, key, Base64.getDecoder().decode(encrypt.strip()));
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("not a ciphertext");
		}
		int pad = bytes[bytes.length - 1] & 0xff;
		if (pad < 1 || pad > BLOCK || bytes.length < 20 + pad) {
			throw new IllegalArgumentException("bad padding");
		}
		for (int i = bytes.length - pad; i < bytes.length; i++) {
			if ((bytes[i] & 0xff) != pad) {
				throw new IllegalArgumentException("bad padding");
			}
		}
		byte[] content = Arrays.copyOfRange(bytes, 16, bytes.length - pad);
		int length = ByteBuffer.wrap(content, 0, 4).getInt();
		if (length < 0 || 4 + length > content.length) {
			throw new IllegalArgumentException("bad message length");
		}
		String from = new String(content, 4 + length, content.length - 4 - length, StandardCharsets.UTF_8);
		if (!MessageDigest.isEqual(from.getBytes(StandardCharsets.UTF_8), appid.getBytes(StandardCharsets.UTF_8))) {
			throw new IllegalArgumentException("made for another app");
		}
		return new String(content, 4, length, StandardCharsets.UTF_8);
	}

	private static byte[] aes(int mode, byte[] key, byte[] data) {
		if (data.length == 0 || data.length % 16 != 0) {
			throw new IllegalArgumentException("ciphertext length");
		}
		try {
			Cipher cipher = Cipher.getInstance("AES/CBC/NoPadding");
			cipher.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
			return cipher.doFinal(data);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
