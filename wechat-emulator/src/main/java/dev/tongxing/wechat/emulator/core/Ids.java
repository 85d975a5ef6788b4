package dev.tongxing.wechat.emulator.core;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;

/** Deterministic identifiers: 28-character ids starting with 'o', derived with HMAC-SHA256 from the id secret. */
public final class Ids {
    private final byte[] key;

    public Ids(String idSecret) {
        this.key = idSecret.getBytes(StandardCharsets.UTF_8);
    }

    public String openid(String appid, String userId) {
        return id("openid|" + appid + "|" + userId);
    }

    public String unionid(String accountId, String userId) {
        return id("unionid|" + accountId + "|" + userId);
    }

    public String snapshotOpenid(String appid, String userId) {
        return id("snapshot-openid|" + appid + "|" + userId);
    }

    public String snapshotUnionid(String accountId, String userId) {
        return id("snapshot-unionid|" + accountId + "|" + userId);
    }

    private String id(String material) {
        String b64 = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, material));
        return "o" + b64.substring(0, 27);
    }

    public static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder(bytes.length * 2);
        for (byte b : bytes) sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        return sb.toString();
    }
}
