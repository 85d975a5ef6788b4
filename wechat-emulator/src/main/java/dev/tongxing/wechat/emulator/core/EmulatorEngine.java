package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Pattern;

/**
 * The emulated WeChat: apps, users, codes and tokens, and the rules of the reference. The web layer only
 * translates HTTP to these methods; every API method returns the reply body or throws {@link WxException}.
 * All methods are synchronized: the emulator favours exactness over throughput.
 */
public final class EmulatorEngine {

    public enum CodeKind { OAUTH, JSCODE, PHONE }

    public static final String SCOPE_LOGIN = "snsapi_login";
    public static final String SCOPE_BASE = "snsapi_base";
    public static final String SCOPE_USERINFO = "snsapi_userinfo";
    public static final String SNAPSHOT_NICKNAME = "微信用户";
    public static final String SNAPSHOT_AVATAR = "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132";
    private static final Pattern OA_STATE = Pattern.compile("[a-zA-Z0-9]{0,128}");
    private static final String ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    private static final String TOKEN_CHARS = ALNUM + "_-";

    /** A registered app. */
    public record App(String appid, String secret, AppKind kind, String name, String account, List<String> callbackDomains,
                      boolean verified, boolean secretFrozen, List<String> ipWhitelist, Integer phoneQuota,
                      Integer refreshTokenDays) {}

    public static final class Code {
        public final String value;
        public final CodeKind kind;
        public final String appid;
        public final String userId;
        public final String scope;
        public final boolean snapshot;
        public final Instant issuedAt;
        public final Instant expiresAt;
        public boolean used;

        Code(String value, CodeKind kind, String appid, String userId, String scope, boolean snapshot, Instant issuedAt, Instant expiresAt) {
            this.value = value;
            this.kind = kind;
            this.appid = appid;
            this.userId = userId;
            this.scope = scope;
            this.snapshot = snapshot;
            this.issuedAt = issuedAt;
            this.expiresAt = expiresAt;
        }
    }

    static final class UserToken {
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

    static final class AppToken {
        final String token;
        final String appid;
        final boolean stable;
        final Instant expiresAt;
        /** Set when superseded/invalidated: after this instant the token answers 40001. */
        Instant invalidAfter;

        AppToken(String token, String appid, boolean stable, Instant expiresAt) {
            this.token = token;
            this.appid = appid;
            this.stable = stable;
            this.expiresAt = expiresAt;
        }
    }

    /** A browser authorization in progress (QR page or official-account page). */
    public static final class AuthSession {
        public enum Status { WAITING, SCANNED, CONFIRMED, CANCELLED }

        public final String id;
        public final boolean qr;
        public final App app;
        public final String redirectUri;
        public final String state;
        public final String scope;
        public final boolean forcePopup;
        public Status status = Status.WAITING;
        public String userId;
        public boolean snapshot;

        AuthSession(String id, boolean qr, App app, String redirectUri, String state, String scope, boolean forcePopup) {
            this.id = id;
            this.qr = qr;
            this.app = app;
            this.redirectUri = redirectUri;
            this.state = state;
            this.scope = scope;
            this.forcePopup = forcePopup;
        }
    }

    /** A page-level error: WeChat shows it to the user, the developer never gets JSON. */
    public static final class PageError extends RuntimeException {
        public final String code;
        public final String title;

        public PageError(String code, String title, String detail) {
            super(detail, null, false, false);
            this.code = code;
            this.title = title;
        }
    }

    /** Raised by control calls that the emulated client would refuse (e.g. phone quota exhausted). */
    public static final class ClientError extends RuntimeException {
        public final int errno;

        public ClientError(int errno, String message) {
            super(message, null, false, false);
            this.errno = errno;
        }
    }

    private final EmulatorClock clock;
    private Settings settings;
    private Ids ids;
    private SplittableRandom random;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, UserConfig> users = new LinkedHashMap<>();
    private final Map<String, String> accounts = new LinkedHashMap<>();
    private final Map<String, Code> codes = new HashMap<>();
    private final Map<String, UserToken> byAccess = new HashMap<>();
    private final Map<String, UserToken> byRefresh = new HashMap<>();
    private final Map<String, AppToken> appTokens = new HashMap<>();
    private final Map<String, AppToken> currentClassic = new HashMap<>();
    private final Map<String, AppToken> currentStable = new HashMap<>();
    private final Map<String, List<Instant>> stableForces = new HashMap<>();
    private final Map<String, String> sessionKeys = new HashMap<>();
    private final Map<String, long[]> jscodeCounters = new HashMap<>();
    private final Map<String, Integer> passwordEpochs = new HashMap<>();
    private final Map<String, Integer> phoneCodesMinted = new HashMap<>();
    private final Map<String, AuthSession> authSessions = new LinkedHashMap<>();

    public EmulatorEngine(EmulatorClock clock, EmulatorConfig config) {
        this.clock = clock;
        load(config);
    }

    /** (Re)loads apps, users and settings and clears all codes, tokens and sessions. */
    public synchronized void load(EmulatorConfig config) {
        this.settings = config.settings == null ? new Settings() : config.settings;
        this.ids = new Ids(config.idSecret);
        this.random = new SplittableRandom(config.seed);
        apps.clear();
        users.clear();
        accounts.clear();
        codes.clear();
        byAccess.clear();
        byRefresh.clear();
        appTokens.clear();
        currentClassic.clear();
        currentStable.clear();
        stableForces.clear();
        sessionKeys.clear();
        jscodeCounters.clear();
        passwordEpochs.clear();
        phoneCodesMinted.clear();
        authSessions.clear();
        for (EmulatorConfig.AccountConfig a : config.accounts) accounts.put(a.id, a.name == null ? a.id : a.name);
        for (AppConfig a : config.apps) addApp(a);
        for (UserConfig u : config.users) addUser(u);
    }

    /** Restarts the random stream (codes, tokens, rid suffixes). */
    public synchronized void reseed(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public synchronized App addApp(AppConfig a) {
        if (a.appid == null || a.appid.isBlank()) throw new IllegalArgumentException("app needs an appid");
        if (a.secret == null || a.secret.isBlank()) throw new IllegalArgumentException("app " + a.appid + " needs a secret");
        if (a.account != null && !accounts.containsKey(a.account)) accounts.put(a.account, a.account);
        App app = new App(a.appid, a.secret, AppKind.parse(a.kind), a.name == null ? a.appid : a.name, a.account,
                List.copyOf(a.callbackDomains == null ? List.of() : a.callbackDomains), a.verified, a.secretFrozen,
                List.copyOf(a.ipWhitelist == null ? List.of() : a.ipWhitelist), a.phoneQuota, a.refreshTokenDays);
        apps.put(app.appid(), app);
        return app;
    }

    public synchronized void addUser(UserConfig u) {
        if (u.id == null || u.id.isBlank()) throw new IllegalArgumentException("user needs an id");
        if (u.nickname == null) u.nickname = u.id;
        if (u.avatar == null) u.avatar = "";
        users.put(u.id, u);
    }

    public Settings settings() {
        return settings;
    }

    public EmulatorClock clock() {
        return clock;
    }

    public synchronized List<App> apps() {
        return List.copyOf(apps.values());
    }

    public synchronized List<UserConfig> users() {
        return List.copyOf(users.values());
    }

    public synchronized Map<String, String> accounts() {
        return Map.copyOf(accounts);
    }

    public synchronized App app(String appid) {
        return apps.get(appid);
    }

    public synchronized UserConfig user(String id) {
        return users.get(id);
    }

    // ------------------------------------------------------------------ identities

    public synchronized String openid(String appid, String userId) {
        return ids.openid(requireApp(appid).appid(), requireUser(userId).id);
    }

    /** The unionid the app would see, or null when the app is bound to no open-platform account. */
    public synchronized String unionid(String appid, String userId) {
        App app = requireApp(appid);
        return app.account() == null ? null : ids.unionid(app.account(), requireUser(userId).id);
    }

    private App requireApp(String appid) {
        App app = apps.get(appid);
        if (app == null) throw new IllegalArgumentException("unknown appid " + appid);
        return app;
    }

    private UserConfig requireUser(String userId) {
        UserConfig u = users.get(userId);
        if (u == null) throw new IllegalArgumentException("unknown user " + userId + " (known: " + users.keySet() + ")");
        return u;
    }

    // ------------------------------------------------------------------ randomness

    private String randomString(String alphabet, int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return sb.toString();
    }

    private String randomHex(int n) {
        return randomString("0123456789abcdef", n);
    }

    /** errmsg with WeChat's trace suffix in the configured style. */
    public synchronized String decorate(String text) {
        return switch (settings.errmsgStyle == null ? "rid" : settings.errmsgStyle) {
            case "plain" -> text;
            case "hints" -> text + ", hints: [ req_id: " + randomString(ALNUM, 8) + " ]";
            case "hint-rid" -> text + " hint: [" + randomString(ALNUM, 9) + "-" + randomString(ALNUM, 6) + "] rid: " + rid();
            default -> text + ", rid: " + rid();
        };
    }

    private String rid() {
        return randomHex(8) + "-" + randomHex(8) + "-" + randomHex(8);
    }

    // ------------------------------------------------------------------ minting codes (what WeChat's client does)

    private long codeSeconds(AppKind kind) {
        return switch (kind) {
            case WEBSITE, MOBILE -> settings.openPlatformCodeSeconds;
            case OFFICIAL_ACCOUNT -> settings.officialAccountCodeSeconds;
            case MINI_PROGRAM -> settings.miniProgramCodeSeconds;
        };
    }

    private Code mint(CodeKind kind, App app, String userId, String scope, boolean snapshot, long lifetimeSeconds, String value) {
        Instant now = clock.instant();
        Code c = new Code(value, kind, app.appid(), userId, scope, snapshot, now, now.plusSeconds(lifetimeSeconds));
        codes.put(value, c);
        return c;
    }

    /**
     * An authorization code as the user's consent would produce it: website (snsapi_login), mobile
     * (snsapi_userinfo) or official account (snsapi_base / snsapi_userinfo; snapshot = snapshot-page user).
     */
    public synchronized String authorizationCode(String appid, String userId, String scope, boolean snapshot) {
        App app = requireApp(appid);
        UserConfig u = requireUser(userId);
        String s = scope;
        switch (app.kind()) {
            case WEBSITE -> s = s == null ? SCOPE_LOGIN : s;
            case MOBILE -> s = s == null ? SCOPE_USERINFO : s;
            case OFFICIAL_ACCOUNT -> s = s == null ? SCOPE_BASE : s;
            case MINI_PROGRAM -> throw new IllegalArgumentException(appid + " is a mini program: use a wx.login code");
        }
        boolean snap = app.kind() == AppKind.OFFICIAL_ACCOUNT && s.contains(SCOPE_USERINFO) && (snapshot || u.snapshot);
        return mint(CodeKind.OAUTH, app, u.id, s, snap, codeSeconds(app.kind()), randomString(ALNUM, 32)).value;
    }

    /** The code the Open SDK's SendAuth response carries for a mobile app. */
    public synchronized String mobileCode(String appid, String userId) {
        App app = requireApp(appid);
        if (app.kind() != AppKind.MOBILE) throw new IllegalArgumentException(appid + " is not a mobile app (" + app.kind().id() + ")");
        return authorizationCode(appid, userId, SCOPE_USERINFO, false);
    }

    /** The code wx.login() returns in a mini program. */
    public synchronized String miniProgramLoginCode(String appid, String userId) {
        App app = requireApp(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new IllegalArgumentException(appid + " is not a mini program (" + app.kind().id() + ")");
        UserConfig u = requireUser(userId);
        return mint(CodeKind.JSCODE, app, u.id, null, false, settings.miniProgramCodeSeconds, randomString(ALNUM, 32)).value;
    }

    /** The code the getPhoneNumber button hands the mini program; errno 1400001 when the quota is used up. */
    public synchronized String phoneNumberCode(String appid, String userId) {
        App app = requireApp(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new IllegalArgumentException(appid + " is not a mini program (" + app.kind().id() + ")");
        UserConfig u = requireUser(userId);
        if (u.phone == null || u.phone.isBlank()) throw new ClientError(-1, "getPhoneNumber:fail user " + userId + " has no phone number");
        int minted = phoneCodesMinted.getOrDefault(appid, 0);
        if (app.phoneQuota() != null && minted >= app.phoneQuota()) {
            throw new ClientError(1400001, "getPhoneNumber:fail no permission (quota exhausted, errno 1400001)");
        }
        phoneCodesMinted.put(appid, minted + 1);
        return mint(CodeKind.PHONE, app, u.id, null, false, settings.phoneCodeSeconds, randomHex(64)).value;
    }

    /** The user changed the WeChat password: existing user tokens answer 42007. */
    public synchronized void changePassword(String userId) {
        requireUser(userId);
        passwordEpochs.merge(userId, 1, Integer::sum);
    }

    // ------------------------------------------------------------------ helpers for the API

    private static String param(Map<String, String> p, String name) {
        String v = p.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    private static String require(Map<String, String> p, String name, int errcode) {
        String v = param(p, name);
        if (v == null) throw new WxException(errcode);
        return v;
    }

    private App appOr40013(String appid) {
        App app = apps.get(appid);
        if (app == null) throw new WxException(40013);
        return app;
    }

    private Instant now() {
        return clock.instant();
    }

    private static boolean expired(Instant expiresAt, Instant now) {
        return !now.isBefore(expiresAt);
    }

    private Code consumable(String value, CodeKind kind, String appid, int reusedErrcode, int expiredErrcode) {
        Code c = codes.get(value);
        if (c == null || c.kind != kind || !c.appid.equals(appid)) throw new WxException(40029);
        if (c.used) throw new WxException(reusedErrcode);
        if (expired(c.expiresAt, now())) throw new WxException(expiredErrcode);
        return c;
    }

    // ------------------------------------------------------------------ /sns/oauth2/access_token

    public synchronized Map<String, Object> snsAccessToken(Map<String, String> p) {
        String appid = require(p, "appid", 41002);
        String secret = require(p, "secret", 41004);
        String codeValue = require(p, "code", 41008);
        if (!"authorization_code".equals(param(p, "grant_type"))) throw new WxException(40002);
        App app = appOr40013(appid);
        if (!app.secret().equals(secret)) throw new WxException(settings.invalidSecretErrcode);
        Code c = consumable(codeValue, CodeKind.OAUTH, appid, settings.codeReusedErrcode, settings.codeExpiredErrcode);
        c.used = true;
        UserConfig u = users.get(c.userId);
        String openid = c.snapshot ? ids.snapshotOpenid(appid, u.id) : ids.openid(appid, u.id);
        String unionid = null;
        boolean unionAllowed = app.account() != null
                && !(app.kind() == AppKind.OFFICIAL_ACCOUNT && !c.scope.contains(SCOPE_USERINFO));
        if (unionAllowed) unionid = c.snapshot ? ids.snapshotUnionid(app.account(), u.id) : ids.unionid(app.account(), u.id);
        Instant now = now();
        int days = app.refreshTokenDays() != null ? app.refreshTokenDays() : settings.refreshTokenDays;
        UserToken t = new UserToken(randomString(TOKEN_CHARS, 96), randomString(TOKEN_CHARS, 96), appid, u.id, openid, unionid,
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

    // ------------------------------------------------------------------ /sns/oauth2/refresh_token

    public synchronized Map<String, Object> snsRefreshToken(Map<String, String> p) {
        String appid = require(p, "appid", 41002);
        String refresh = require(p, "refresh_token", 41003);
        if (!"refresh_token".equals(param(p, "grant_type"))) throw new WxException(40002);
        appOr40013(appid);
        UserToken t = byRefresh.get(refresh);
        if (t == null || !t.appid.equals(appid)) throw new WxException(40030);
        Instant now = now();
        if (expired(t.refreshExpiresAt, now)) throw new WxException(42002);
        if (t.passwordEpoch != passwordEpochs.getOrDefault(t.userId, 0)) throw new WxException(42007);
        if (expired(t.accessExpiresAt, now)) {
            byAccess.remove(t.accessToken);
            t.accessToken = randomString(TOKEN_CHARS, 96);
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

    // ------------------------------------------------------------------ /sns/auth and /sns/userinfo

    private UserToken userToken(Map<String, String> p) {
        String access = require(p, "access_token", 41001);
        String openid = param(p, "openid");
        if (openid == null) throw new WxException(settings.missingOpenidErrcode);
        UserToken t = byAccess.get(access);
        if (t == null) throw new WxException(40001);
        if (expired(t.accessExpiresAt, now())) throw new WxException(42001);
        if (t.passwordEpoch != passwordEpochs.getOrDefault(t.userId, 0)) throw new WxException(42007);
        if (!t.openid.equals(openid)) throw new WxException(40003);
        return t;
    }

    public synchronized Map<String, Object> snsAuth(Map<String, String> p) {
        userToken(p);
        return ok();
    }

    public synchronized Map<String, Object> snsUserinfo(Map<String, String> p) {
        UserToken t = userToken(p);
        if (!t.scope.contains(SCOPE_USERINFO) && !t.scope.contains(SCOPE_LOGIN)) throw new WxException(48001);
        UserConfig u = users.get(t.userId);
        boolean legacy = settings.legacyProfile && !t.snapshot;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("openid", t.openid);
        r.put("nickname", t.snapshot ? SNAPSHOT_NICKNAME : u.nickname);
        r.put("sex", legacy ? u.sex : 0);
        r.put("language", "");
        r.put("city", legacy ? nz(u.city) : "");
        r.put("province", legacy ? nz(u.province) : "");
        r.put("country", legacy ? nz(u.country) : "");
        r.put("headimgurl", t.snapshot ? SNAPSHOT_AVATAR : nz(u.avatar));
        r.put("privilege", List.of());
        if (t.unionid != null) r.put("unionid", t.unionid);
        return r;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static Map<String, Object> ok() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", 0);
        r.put("errmsg", "ok");
        return r;
    }

    // ------------------------------------------------------------------ /sns/jscode2session

    public synchronized Map<String, Object> jscode2session(Map<String, String> p) {
        String appid = require(p, "appid", 41002);
        String secret = require(p, "secret", 41004);
        String jsCode = require(p, "js_code", 41008);
        if (!"authorization_code".equals(param(p, "grant_type"))) throw new WxException(40002);
        App app = appOr40013(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new WxException(40013);
        if (!app.secret().equals(secret)) throw new WxException(settings.invalidSecretErrcode);
        Code c = consumable(jsCode, CodeKind.JSCODE, appid, settings.codeReusedErrcode, 40029);
        UserConfig u = users.get(c.userId);
        String key = appid + "|" + u.id;
        long minute = now().getEpochSecond() / 60;
        long[] counter = jscodeCounters.computeIfAbsent(key, k -> new long[] {minute, 0});
        if (counter[0] != minute) {
            counter[0] = minute;
            counter[1] = 0;
        }
        if (++counter[1] > settings.jscode2sessionPerUserPerMinute) throw new WxException(45011);
        if (u.blocked) throw new WxException(40226);
        c.used = true;
        byte[] k = new byte[16];
        random.nextBytes(k);
        String sessionKey = Base64.getEncoder().encodeToString(k);
        sessionKeys.put(key, sessionKey); // a new login silently invalidates the previous session_key
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("session_key", sessionKey);
        r.put("openid", ids.openid(appid, u.id));
        if (app.account() != null) r.put("unionid", ids.unionid(app.account(), u.id));
        return r;
    }

    /** The session_key currently valid for (mini program, user), or null. */
    public synchronized String sessionKey(String appid, String userId) {
        return sessionKeys.get(appid + "|" + userId);
    }

    // ------------------------------------------------------------------ app access tokens

    private App checkAppCredentials(String grantType, String appid, String secret, String remoteIp) {
        if (!"client_credential".equals(grantType)) throw new WxException(40002);
        if (appid == null || appid.isEmpty()) throw new WxException(41002);
        if (secret == null || secret.isEmpty()) throw new WxException(41004);
        App app = appOr40013(appid);
        if (app.secretFrozen()) throw new WxException(40243);
        if (!app.secret().equals(secret)) throw new WxException(settings.tokenInvalidSecretErrcode);
        if (app.kind() == AppKind.OFFICIAL_ACCOUNT && !app.ipWhitelist().isEmpty() && remoteIp != null
                && !app.ipWhitelist().contains(remoteIp)) {
            throw new WxException(40164, "invalid ip " + remoteIp + " ipv6 ::ffff:" + remoteIp + ", not in whitelist");
        }
        return app;
    }

    private AppToken mintAppToken(String appid, boolean stable) {
        AppToken t = new AppToken(randomString(TOKEN_CHARS, 136), appid, stable, now().plusSeconds(settings.appAccessTokenSeconds));
        appTokens.put(t.token, t);
        return t;
    }

    private Map<String, Object> tokenReply(AppToken t) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("access_token", t.token);
        r.put("expires_in", Math.max(0, t.expiresAt.getEpochSecond() - now().getEpochSecond()));
        return r;
    }

    /** GET /cgi-bin/token: each call supersedes the previous token, which stays valid for the overlap. */
    public synchronized Map<String, Object> cgiToken(Map<String, String> p, String remoteIp) {
        checkAppCredentials(param(p, "grant_type"), param(p, "appid"), param(p, "secret"), remoteIp);
        String appid = p.get("appid");
        AppToken previous = currentClassic.get(appid);
        Instant now = now();
        if (previous != null) {
            Instant cut = now.plusSeconds(settings.appTokenOverlapSeconds);
            if (previous.invalidAfter == null || cut.isBefore(previous.invalidAfter)) previous.invalidAfter = cut;
        }
        AppToken t = mintAppToken(appid, false);
        currentClassic.put(appid, t);
        return tokenReply(t);
    }

    /** POST /cgi-bin/stable_token: isolated from cgi-bin/token; idempotent unless force_refresh. */
    public synchronized Map<String, Object> stableToken(Map<String, Object> body, String remoteIp) {
        String appid = body.get("appid") instanceof String s ? s : null;
        String secret = body.get("secret") instanceof String s ? s : null;
        String grant = body.get("grant_type") instanceof String s ? s : null;
        checkAppCredentials(grant, appid, secret, remoteIp);
        Object f = body.get("force_refresh");
        boolean force = Boolean.TRUE.equals(f) || "true".equals(f);
        Instant now = now();
        AppToken current = currentStable.get(appid);
        boolean currentValid = current != null && appTokenState(current, now) == 0;
        if (force) {
            List<Instant> forces = stableForces.computeIfAbsent(appid, k -> new ArrayList<>());
            Instant dayStart = now.truncatedTo(ChronoUnit.DAYS);
            forces.removeIf(i -> i.isBefore(dayStart));
            if (forces.size() >= settings.stableTokenForceRefreshPerDay) throw new WxException(45009);
            Instant last = forces.isEmpty() ? null : forces.get(forces.size() - 1);
            if (currentValid && last != null && now.isBefore(last.plusSeconds(settings.stableTokenForceRefreshMinIntervalSeconds))) {
                return tokenReply(current); // too soon: nothing is refreshed
            }
            forces.add(now);
            if (current != null) current.invalidAfter = now;
            AppToken t = mintAppToken(appid, true);
            currentStable.put(appid, t);
            return tokenReply(t);
        }
        if (currentValid && current.expiresAt.minusSeconds(settings.appTokenOverlapSeconds).isAfter(now)) {
            return tokenReply(current);
        }
        // within the last overlap seconds (or none/expired): roll; the old token lives out its own expiry
        AppToken t = mintAppToken(appid, true);
        currentStable.put(appid, t);
        return tokenReply(t);
    }

    /** 0 valid, 42001 expired, 40001 superseded/invalidated. */
    private static int appTokenState(AppToken t, Instant now) {
        if (t.invalidAfter != null && !now.isBefore(t.invalidAfter)) return 40001;
        if (expired(t.expiresAt, now)) return 42001;
        return 0;
    }

    private AppToken requireAppToken(String token) {
        if (token == null || token.isEmpty()) throw new WxException(41001);
        AppToken t = appTokens.get(token);
        if (t == null) throw new WxException(40001);
        int state = appTokenState(t, now());
        if (state != 0) throw new WxException(state);
        return t;
    }

    /** The appid a token (app or user) belongs to, for fault matching and the request log; null if unknown. */
    public synchronized String appidOfToken(String token) {
        if (token == null) return null;
        AppToken a = appTokens.get(token);
        if (a != null) return a.appid;
        UserToken u = byAccess.get(token);
        return u == null ? null : u.appid;
    }

    // ------------------------------------------------------------------ /wxa/business/getuserphonenumber

    public synchronized Map<String, Object> phoneNumber(String accessToken, Map<String, Object> body) {
        AppToken t = requireAppToken(accessToken);
        App app = apps.get(t.appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new WxException(48001);
        String value = body.get("code") instanceof String s && !s.isEmpty() ? s : null;
        if (value == null) throw new WxException(41008);
        Code c = consumable(value, CodeKind.PHONE, app.appid(), 40029, 40029);
        String openid = body.get("openid") instanceof String s && !s.isEmpty() ? s : null;
        if (openid != null && !openid.equals(ids.openid(app.appid(), c.userId))) throw new WxException(40029);
        c.used = true;
        UserConfig u = users.get(c.userId);
        String phone = u.phone.trim();
        String cc = "86";
        String pure = phone;
        if (phone.startsWith("+")) {
            int sp = phone.indexOf(' ');
            cc = sp > 0 ? phone.substring(1, sp) : "86";
            pure = sp > 0 ? phone.substring(sp + 1).replace(" ", "") : phone.substring(1);
        }
        Map<String, Object> watermark = new LinkedHashMap<>();
        watermark.put("timestamp", now().getEpochSecond());
        watermark.put("appid", app.appid());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("phoneNumber", "86".equals(cc) ? pure : "+" + cc + pure);
        info.put("purePhoneNumber", pure);
        info.put("countryCode", settings.phoneCountryCodeAsNumber ? (Object) Long.parseLong(cc) : cc);
        info.put("watermark", watermark);
        Map<String, Object> r = ok();
        r.put("phone_info", info);
        return r;
    }

    // ------------------------------------------------------------------ /wxa/checksession

    public synchronized Map<String, Object> checkSession(Map<String, String> p) {
        AppToken t = requireAppToken(param(p, "access_token"));
        String openid = param(p, "openid");
        if (openid == null) throw new WxException(41009);
        String userId = null;
        for (UserConfig u : users.values()) {
            if (ids.openid(t.appid, u.id).equals(openid)) userId = u.id;
        }
        if (userId == null) throw new WxException(40003);
        String key = sessionKeys.get(t.appid + "|" + userId);
        String sig = param(p, "signature");
        if (key == null || sig == null || !"hmac_sha256".equals(param(p, "sig_method"))) throw new WxException(87009);
        String expected = Ids.hex(Ids.hmac(Base64.getDecoder().decode(key), ""));
        if (!expected.equalsIgnoreCase(sig)) throw new WxException(87009);
        return ok();
    }

    // ------------------------------------------------------------------ browser pages

    private static final String LINK_UNAVAILABLE = "该链接无法访问";

    /** Validates a /connect/qrconnect request and opens a QR session. */
    public synchronized AuthSession openQrSession(Map<String, String> p) {
        String appid = param(p, "appid");
        if (appid == null) throw new PageError("10012", LINK_UNAVAILABLE, "appid 参数错误 (appid missing)");
        App app = apps.get(appid);
        if (app == null) throw new PageError("10012", LINK_UNAVAILABLE, "appid 参数错误 (unknown appid " + appid + ")");
        String scope = param(p, "scope");
        if (app.kind() != AppKind.WEBSITE || scope == null || !List.of(scope.split(",")).contains(SCOPE_LOGIN)) {
            throw new PageError("scope", LINK_UNAVAILABLE, "Scope 参数错误或没有 Scope 权限 (website app with scope snsapi_login required)");
        }
        String redirect = checkRedirect(app, param(p, "redirect_uri"), false);
        if (!"code".equals(param(p, "response_type"))) throw new PageError("response_type", LINK_UNAVAILABLE, "response_type must be code");
        AuthSession s = new AuthSession(randomString(ALNUM, 16), true, app, redirect, nz(p.get("state")), SCOPE_LOGIN, false);
        authSessions.put(s.id, s);
        return s;
    }

    /** Validates a /connect/oauth2/authorize request and opens an official-account session. */
    public synchronized AuthSession openOaSession(Map<String, String> p) {
        String appid = param(p, "appid");
        if (appid == null) throw new PageError("10012", "10012", "appid 参数错误 (appid missing)");
        App app = apps.get(appid);
        if (app == null) throw new PageError("10012", "10012", "appid 参数错误 (unknown appid " + appid + ")");
        String redirect = checkRedirect(app, param(p, "redirect_uri"), true);
        String scope = param(p, "scope");
        if (scope == null || !(scope.equals(SCOPE_BASE) || scope.equals(SCOPE_USERINFO))) {
            throw new PageError("10005", "Scope 参数错误或没有 Scope 权限", "scope must be snsapi_base or snsapi_userinfo");
        }
        if (app.kind() != AppKind.OFFICIAL_ACCOUNT || !app.verified()) {
            throw new PageError("10005", "Scope 参数错误或没有 Scope 权限", "no permission for this scope (needs a verified official account)");
        }
        if (!"code".equals(param(p, "response_type"))) throw new PageError("response_type", "redirect_uri 参数错误", "response_type must be code");
        String state = nz(p.get("state"));
        if (settings.strictOaState && !OA_STATE.matcher(state).matches()) {
            throw new PageError("state", "state 参数错误", "state must be [a-zA-Z0-9], at most 128 bytes");
        }
        AuthSession s = new AuthSession(randomString(ALNUM, 16), false, app, redirect, state, scope, "true".equals(p.get("forcePopup")));
        authSessions.put(s.id, s);
        return s;
    }

    private String checkRedirect(App app, String redirect, boolean oa) {
        String badRedirect = oa ? "redirect_uri 参数错误" : LINK_UNAVAILABLE;
        if (redirect == null) throw new PageError("redirect_uri", badRedirect, "redirect_uri missing");
        URI uri;
        try {
            uri = URI.create(redirect);
        } catch (IllegalArgumentException e) {
            throw new PageError("redirect_uri", badRedirect, "redirect_uri is not a valid URL (encode it exactly once)");
        }
        if (uri.getHost() == null || uri.getScheme() == null
                || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new PageError("redirect_uri", badRedirect, "redirect_uri must be an absolute http(s) URL");
        }
        String host = uri.getHost().toLowerCase();
        int port = uri.getPort();
        boolean portRefused = false;
        for (String d : app.callbackDomains()) {
            if (d.equals("*")) return redirect;
            int colon = d.lastIndexOf(':');
            String dh = (colon > 0 ? d.substring(0, colon) : d).toLowerCase();
            String dp = colon > 0 ? d.substring(colon + 1) : null;
            if (!dh.equals(host)) continue;
            if ("*".equals(dp)) return redirect;
            if (dp != null) {
                if (String.valueOf(port).equals(dp)) return redirect;
                continue;
            }
            if (oa && port != -1) {
                portRefused = true;
                continue;
            }
            return redirect;
        }
        String detail = portRefused ? "redirect_uri must not carry a port" : "redirect_uri host " + host + " is not a registered callback domain " + app.callbackDomains();
        throw new PageError(oa ? "10003" : "redirect_uri", oa ? "10003" : LINK_UNAVAILABLE, detail);
    }

    public synchronized AuthSession session(String id) {
        AuthSession s = authSessions.get(id);
        if (s == null) throw new PageError("session", "二维码已失效", "unknown or expired login session");
        return s;
    }

    public synchronized void scan(AuthSession s, String userId, boolean snapshot) {
        requireUser(userId);
        s.userId = userId;
        s.snapshot = snapshot;
        s.status = AuthSession.Status.SCANNED;
    }

    /** Whether the official-account page skips the confirm step for this session's user. */
    public synchronized boolean silent(AuthSession s) {
        if (s.qr) return false;
        if (SCOPE_BASE.equals(s.scope)) return true;
        UserConfig u = users.get(s.userId);
        return u != null && u.follower && !s.forcePopup && !s.snapshot && !u.snapshot;
    }

    /**
     * The user confirmed, and WeChat hits the callback twice (settings.doubleCallback): returns the two redirect
     * URLs — same code, or a second code with the same state.
     */
    public synchronized List<String> confirmTwice(AuthSession s) {
        String first = confirm(s);
        if ("new-code".equals(settings.doubleCallback)) {
            String code = authorizationCode(s.app.appid(), s.userId, s.scope, s.snapshot);
            return List.of(first, withParams(s.redirectUri, "code=" + code + "&state=" + enc(s.state)));
        }
        return List.of(first, first);
    }

    /** The user confirmed: returns the redirect URL carrying code and state. */
    public synchronized String confirm(AuthSession s) {
        if (s.userId == null) throw new PageError("session", "请先扫码", "scan first");
        String code = authorizationCode(s.app.appid(), s.userId, s.scope, s.snapshot);
        s.status = AuthSession.Status.CONFIRMED;
        authSessions.remove(s.id);
        return withParams(s.redirectUri, "code=" + code + "&state=" + enc(s.state));
    }

    /** The user cancelled: returns the redirect URL (state-only mode) or null (no-redirect mode). */
    public synchronized String cancel(AuthSession s) {
        s.status = AuthSession.Status.CANCELLED;
        if ("state-only".equals(settings.denyBehaviour)) {
            authSessions.remove(s.id);
            return withParams(s.redirectUri, "state=" + enc(s.state));
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Appends parameters to the query of a URL, before any #fragment it has. */
    public static String withParams(String url, String params) {
        int hash = url.indexOf('#');
        String base = hash < 0 ? url : url.substring(0, hash);
        String frag = hash < 0 ? "" : url.substring(hash);
        String sep = !base.contains("?") ? "?" : (base.endsWith("?") || base.endsWith("&") ? "" : "&");
        return base + sep + params + frag;
    }
}
