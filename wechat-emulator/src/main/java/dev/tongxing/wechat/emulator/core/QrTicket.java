package dev.tongxing.wechat.emulator.core;

import java.time.Instant;

/** A parametric QR code of an official account (cgi-bin/qrcode/create); {@code expiresAt} null = permanent. */
public record QrTicket(String ticket, String urlId, String appid, String actionName, String scene, Instant expiresAt) {
    public boolean expired(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }
}
