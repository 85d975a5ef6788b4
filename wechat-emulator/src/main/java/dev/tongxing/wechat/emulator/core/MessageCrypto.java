package dev.tongxing.wechat.emulator.core;

import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

/**
 * WeChat's message signing and safe-mode encryption, as its published scheme (the WXBizMsgCrypt samples)
 * defines it: signatures are hex SHA-1 over the sorted, concatenated strings; the AES key is
 * Base64(EncodingAESKey + "="), 32 bytes, AES-256-CBC with the key's first 16 bytes as IV, over
 * random(16) + length(4, big-endian) + message + appid, padded PKCS#7-style to a multiple of 32 bytes.
 */
public final class MessageCrypto {
    private static final int BLOCK = 32;

    private MessageCrypto() {}

    /** The {@code signature} query parameter: SHA-1 of sort(token, timestamp, nonce). */
    public static String signature(String token, String timestamp, String nonce) {
        return sha1Sorted(token, timestamp, nonce);
    }

    /** The {@code msg_signature} of safe mode: SHA-1 of sort(token, timestamp, nonce, encrypt). */
    public static String msgSignature(String token, String timestamp, String nonce, String encrypt) {
        return sha1Sorted(token, timestamp, nonce, encrypt);
    }

    /** The 32-byte AES key of an EncodingAESKey (43 characters); IllegalArgumentException when it is not one. */
    public static byte[] aesKey(String encodingAesKey) {
        if (encodingAesKey == null || encodingAesKey.length() != 43) {
            throw new IllegalArgumentException("EncodingAESKey must be 43 characters");
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(encodingAesKey + "=");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("EncodingAESKey must be Base64 (43 characters)");
        }
        if (key.length != 32) throw new IllegalArgumentException("EncodingAESKey must decode to 32 bytes");
        return key;
    }

    /** Base64 ciphertext of {@code message} for {@code appid}; {@code random16} is the 16-byte random prefix. */
    public static String encrypt(String encodingAesKey, String appid, byte[] random16, String message) {
        if (random16.length != 16) throw new IllegalArgumentException("random prefix must be 16 bytes");
        byte[] msg = message.getBytes(StandardCharsets.UTF_8);
        byte[] app = appid.getBytes(StandardCharsets.UTF_8);
        int plain = 16 + 4 + msg.length + app.length;
        int pad = BLOCK - (plain % BLOCK);
        ByteBuffer buf = ByteBuffer.allocate(plain + pad);
        buf.put(random16).putInt(msg.length).put(msg).put(app);
        for (int i = 0; i < pad; i++) buf.put((byte) pad);
        return Base64.getEncoder().encodeToString(aes(Cipher.ENCRYPT_MODE, aesKey(encodingAesKey), buf.array()));
    }

    /** The message inside {@code encrypt}; IllegalArgumentException when it cannot be opened or is for another appid. */
    public static String decrypt(String encodingAesKey, String appid, String encrypt) {
        byte[] bytes;
        try {
            bytes = aes(Cipher.DECRYPT_MODE, aesKey(encodingAesKey), Base64.getDecoder().decode(encrypt));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new IllegalArgumentException("cannot decrypt the message");
        }
        int pad = bytes.length == 0 ? 0 : bytes[bytes.length - 1] & 0xff;
        if (pad < 1 || pad > BLOCK || bytes.length < 20 + pad) throw new IllegalArgumentException("bad padding");
        byte[] content = Arrays.copyOfRange(bytes, 16, bytes.length - pad);
        int length = ByteBuffer.wrap(content, 0, 4).getInt();
        if (length < 0 || 4 + length > content.length) throw new IllegalArgumentException("bad message length");
        String message = new String(content, 4, length, StandardCharsets.UTF_8);
        String from = new String(content, 4 + length, content.length - 4 - length, StandardCharsets.UTF_8);
        if (!from.equals(appid)) throw new IllegalArgumentException("message is for appid " + from + ", not " + appid);
        return message;
    }

    private static byte[] aes(int mode, byte[] key, byte[] data) {
        if (data.length == 0 || data.length % 16 != 0) throw new IllegalArgumentException("ciphertext length");
        try {
            Cipher c = Cipher.getInstance("AES/CBC/NoPadding");
            c.init(mode, new SecretKeySpec(key, "AES"), new IvParameterSpec(key, 0, 16));
            return c.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sha1Sorted(String... parts) {
        String[] sorted = parts.clone();
        Arrays.sort(sorted);
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Ids.hex(sha1.digest(String.join("", sorted).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
