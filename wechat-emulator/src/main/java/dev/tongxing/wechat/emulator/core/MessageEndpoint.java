package dev.tongxing.wechat.emulator.core;

import java.util.List;

/**
 * An official account's server configuration (服务器配置): where WeChat pushes events, the token it signs them with,
 * and for compatible/safe mode the EncodingAESKey it encrypts them with.
 */
public record MessageEndpoint(String url, String token, String encodingAesKey, String mode) {
    public static final List<String> MODES = List.of("plain", "compatible", "safe");

    public MessageEndpoint {
        if (url == null || url.isBlank()) throw new IllegalArgumentException("message endpoint needs a url");
        if (token == null || token.isBlank()) throw new IllegalArgumentException("message endpoint needs a token");
        if (mode == null) mode = "plain";
        if (!MODES.contains(mode)) throw new IllegalArgumentException("message mode must be plain | compatible | safe");
        if (!"plain".equals(mode) || encodingAesKey != null) MessageCrypto.aesKey(encodingAesKey);
    }

    public boolean encrypted() {
        return !"plain".equals(mode);
    }
}
