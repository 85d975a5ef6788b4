package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.Code;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.CodeKind;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_LOGIN;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_USERINFO;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SNAPSHOT_AVATAR;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SNAPSHOT_NICKNAME;
import static dev.tongxing.wechat.emulator.core.Params.expired;
import static dev.tongxing.wechat.emulator.core.Params.nz;
import static dev.tongxing.wechat.emulator.core.Params.param;
import static dev.tongxing.wechat.emulator.core.Params.require;

/**
 * The user-token endpoints shared by website, mobile and official-account logins: sns/oauth2/access_token,
 * sns/oauth2/refresh_token, sns/auth and sns/userinfo.
 */
final class SnsUserTokens {
    private final EngineContext ctx;
    private final CodeStore codes;
    private final Map<String, UserToken> byAccess = new HashMap<>();
    private final Map<String, UserToken> byRefresh = new HashMap<>();
    private final Map<String, Integer> passwordEpochs = new HashMap<>();

    SnsUserTokens(EngineContext ctx, CodeStore codes) {
        this.ctx = ctx;
        this.codes = codes;
    }

    void clear() {
        byAccess.clear();
        byRefresh.clear();
        passwordEpochs.clear();
    }

    /** The user changed the WeChat password: existing user tokens answer 42007. */
    void changePassword(String userId) {
        ctx.directory.requireUser(userId);
        passwordEpochs.merge(userId, 1, Integer::sum);
    }

    /** The app a user access token belongs to, or null. */
    String appidOf(String accessToken) {
        UserToken u = byAccess.get(accessToken);
        return u == null ? null : u.appid;
    }

    /** GET /sns/oauth2/access_token */
    Map<String, Object> exchangeCode(Map<String, String> p) {
        Settings settings = ctx.settings();
        String appid = require(p, "appid", 41002);
        String secret = require(p, "secret", 41004);
        String codeValue = require(p, "code", 41008);
        if (!"authorization_code".equals(param(p, "grant_type"))) throw new WxException(40002);
        App app = ctx.directory.appOr40013(appid);
        if (!app.secret().equals(secret)) throw new WxException(settings.invalidSecretErrcode);
        Code c = codes.consumable(codeValue, CodeKind.OAUTH, appid, settings.codeReusedErrcode, settings.codeExpiredErrcode);
        c.used = true;
        Ids ids = ctx.ids();
        UserConfig u = ctx.directory.user(c.userId);
        String openid = c.snapshot ? ids.snapshotOpenid(appid, u.id) : ids.openid(appid, u.id);
        String unionid = null;
        boolean unionAllowed = app.account() != null
                && !(app.kind() == AppKind.OFFICIAL_ACCOUNT && !c.scope.contains(SCOPE_USERINFO));
        if (unionAllowed) unionid = c.snapshot ? ids.snapshotUnionid(app.account(), u.id) : ids.unionid(app.account(), u.id);
        Instant now = ctx.now();
        int days = app.refreshTokenDays() != null ? app.refreshTokenDays() : settings.refreshTokenDays;
        UserToken t = new UserToken(ctx.random.token(96), ctx.random.token(96), appid, u.id, openid, unionid,
                c.scope, c.snapshot, now.plusSeconds(settings.userAccessTokenSeconds), now.plus(days, ChronoUnit.DAYS),
                passwordEpochs.getOrDefault(u.id, 0));
        byAccess.put(t.accessToken, t);
        byRefresh.put(t.refreshToken, t);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", t.accessToken);
        r.put("expires_in", settings.userAccessTokenSeconds);
        r.put("refresh_token", t.refreshToken);
        r.put("openid", openid);
        r.put("scope", c.scope);
        if (unionid != null) r.put("unionid", unionid);
        if (c.snapshot) r.put("is_snapshotuser", 1);
        return r;
    }

    /** GET /sns/oauth2/refresh_token */
    Map<String, Object> refresh(Map<String, String> p) {
        Settings settings = ctx.settings();
        String appid = require(p, "appid", 41002);
        String refresh = require(p, "refresh_token", 41003);
        if (!"refresh_token".equals(param(p, "grant_type"))) throw new WxException(40002);
        ctx.directory.appOr40013(appid);
        UserToken t = byRefresh.get(refresh);
        if (t == null || !t.appid.equals(appid)) throw new WxException(40030);
        Instant now = ctx.now();
        if (expired(t.refreshExpiresAt, now)) throw new WxException(42002);
        if (t.passwordEpoch != passwordEpochs.getOrDefault(t.userId, 0)) throw new WxException(42007);
        if (expired(t.accessExpiresAt, now)) {
            byAccess.remove(t.accessToken);
            t.accessToken = ctx.random.token(96);
            byAccess.put(t.accessToken, t);
        }
        // still valid: the same token, its expiry pushed out ("renewal"); the refresh token is never extended
        t.accessExpiresAt = now.plusSeconds(settings.userAccessTokenSeconds);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", t.accessToken);
        r.put("expires_in", settings.userAccessTokenSeconds);
        r.put("refresh_token", t.refreshToken);
        r.put("openid", t.openid);
        r.put("scope", t.scope);
        return r;
    }

    /** GET /sns/auth */
    Map<String, Object> check(Map<String, String> p) {
        userToken(p);
        return Params.ok();
    }

    /** GET /sns/userinfo */
    Map<String, Object> userinfo(Map<String, String> p) {
        UserToken t = userToken(p);
        if (!t.scope.contains(SCOPE_USERINFO) && !t.scope.contains(SCOPE_LOGIN)) throw new WxException(48001);
        UserConfig u = ctx.directory.user(t.userId);
        boolean legacy = ctx.settings().legacyProfile && !t.snapshot;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("openid", t.openid);
        r.put("nickname", t.snapshot ? SNAPSHOT_NICKNAME : u.nickname);
        r.put("sex", legacy ? u.sex : 0);
        r.put("language", "");
        r.put("city", legacy ? nz(u.city) : "");
        r.put("province", legacy ? nz(u.province) : "");
        r.put("country", legacy ? nz(u.country) : "");
        r.put("headimgurl", t.snapshot ? SNAPSHOT_AVATAR
                : ctx.settings().selfHostedAvatars && !nz(u.avatar).isEmpty() ? EmulatorEngine.AVATAR_PATH + u.id + ".svg" : nz(u.avatar));
        r.put("privilege", List.of());
        if (t.unionid != null) r.put("unionid", t.unionid);
        return r;
    }

    private UserToken userToken(Map<String, String> p) {
        String access = require(p, "access_token", 41001);
        String openid = param(p, "openid");
        if (openid == null) throw new WxException(ctx.settings().missingOpenidErrcode);
        UserToken t = byAccess.get(access);
        if (t == null) throw new WxException(40001);
        if (expired(t.accessExpiresAt, ctx.now())) throw new WxException(42001);
        if (t.passwordEpoch != passwordEpochs.getOrDefault(t.userId, 0)) throw new WxException(42007);
        if (!t.openid.equals(openid)) throw new WxException(40003);
        return t;
    }
}
