package dev.tongxing.wechat.emulator.core;

import java.time.Instant;

/** A user access token and its refresh token, as sns/oauth2/access_token issues them. */
final class UserToken {
    String accessToken;
    final String refreshToken;
    final String appid;
    final String userId;
    final String openid;
    final String unionid;
    final String scope;
    final boolean snapshot;
    Instant accessExpiresAt;
    final Instant refreshExpiresAt;
    /** The user's password epoch at issue: a later password change voids the token (42007). */
    final int passwordEpoch;

    UserToken(String accessToken, String refreshToken, String appid, String userId, String openid, String unionid,
              String scope, boolean snapshot, Instant accessExpiresAt, Instant refreshExpiresAt, int passwordEpoch) {
        this.accessToken = accessToken;
        this.refreshToken = refreshToken;
        this.appid = appid;
        this.userId = userId;
        this.openid = openid;
        this.unionid = unionid;
        this.scope = scope;
        this.snapshot = snapshot;
        this.accessExpiresAt = accessExpiresAt;
        this.refreshExpiresAt = refreshExpiresAt;
        this.passwordEpoch = passwordEpoch;
    }
}
