package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The emulated WeChat, one entry point over its products: website QR login ({@link WebsiteQrLogin}),
 * official-account web authorization ({@link OfficialAccountWebAuth}), the mobile Open SDK ({@link MobileApp}),
 * the shared sns user-token endpoints ({@link SnsUserTokens}), mini program login ({@link MiniProgramLogin}),
 * app access tokens ({@link AppTokens}), the phone number ({@link PhoneNumbers}) and the official account's
 * QR codes, followers and event pushes ({@link OfficialAccountMessaging}), over shared apps, users,
 * codes and randomness. The web layer only translates HTTP to these methods; every API method returns the reply
 * body or throws {@link WxException}. All methods are synchronized on this engine: the emulator favours exactness
 * over throughput, and the products themselves hold no lock.
 */
public final class EmulatorEngine {

    public enum CodeKind { OAUTH, JSCODE, PHONE }

    public static final String SCOPE_LOGIN = "snsapi_login";
    public static final String SCOPE_BASE = "snsapi_base";
    public static final String SCOPE_USERINFO = "snsapi_userinfo";
    public static final String SNAPSHOT_NICKNAME = "微信用户";
    /** Where this emulator serves a user's avatar (settings.selfHostedAvatars), below its base URL. */
    public static final String AVATAR_PATH = "/_emulator/avatars/";
    public static final String SNAPSHOT_AVATAR = "https://thirdwx.qlogo.cn/mmopen/vi_32/POgEwh4mIHO4nibH0KlMECNjjGxQUq24ZEaGT4poC6icRiccVGKSyXwibcPq4BWmiaIGuG1icwxaQX6grC9VemZoJ8rg/132";

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

    private final EngineContext ctx;
    private final CodeStore codes;
    private final AuthorizationCodes authorizationCodes;
    private final AuthSessions authSessions;
    private final WebsiteQrLogin websiteQrLogin;
    private final OfficialAccountWebAuth officialAccount;
    private final MobileApp mobileApp;
    private final SnsUserTokens snsUserTokens;
    private final AppTokens appTokens;
    private final MiniProgramLogin miniProgram;
    private final PhoneNumbers phoneNumbers;
    private final OfficialAccountMessaging messaging;

    public EmulatorEngine(EmulatorClock clock, EmulatorConfig config) {
        this.ctx = new EngineContext(clock);
        this.codes = new CodeStore(ctx);
        this.authorizationCodes = new AuthorizationCodes(ctx, codes);
        this.authSessions = new AuthSessions(ctx, authorizationCodes);
        this.websiteQrLogin = new WebsiteQrLogin(ctx, authSessions);
        this.appTokens = new AppTokens(ctx);
        this.messaging = new OfficialAccountMessaging(ctx, appTokens);
        this.officialAccount = new OfficialAccountWebAuth(ctx, authSessions, messaging);
        this.mobileApp = new MobileApp(ctx, authorizationCodes);
        this.snsUserTokens = new SnsUserTokens(ctx, codes);
        this.miniProgram = new MiniProgramLogin(ctx, codes, appTokens);
        this.phoneNumbers = new PhoneNumbers(ctx, codes, appTokens);
        load(config);
    }

    /** (Re)loads apps, users and settings and clears all codes, tokens and sessions. */
    public synchronized void load(EmulatorConfig config) {
        ctx.load(config);
        codes.clear();
        snsUserTokens.clear();
        appTokens.clear();
        miniProgram.clear();
        phoneNumbers.clear();
        authSessions.clear();
        messaging.clear();
        for (AppConfig a : config.apps) messaging.configure(a);
    }

    /** Restarts the random stream (codes, tokens, rid suffixes). */
    public synchronized void reseed(long seed) {
        ctx.random.reseed(seed);
    }

    public synchronized App addApp(AppConfig a) {
        App app = ctx.directory.addApp(a);
        messaging.configure(a);
        return app;
    }

    public synchronized void addUser(UserConfig u) {
        ctx.directory.addUser(u);
    }

    public Settings settings() {
        return ctx.settings();
    }

    public EmulatorClock clock() {
        return ctx.clock;
    }

    public synchronized List<App> apps() {
        return ctx.directory.apps();
    }

    public synchronized List<UserConfig> users() {
        return ctx.directory.users();
    }

    public synchronized Map<String, String> accounts() {
        return ctx.directory.accounts();
    }

    public synchronized App app(String appid) {
        return ctx.directory.app(appid);
    }

    public synchronized UserConfig user(String id) {
        return ctx.directory.user(id);
    }

    // ------------------------------------------------------------------ identities

    public synchronized String openid(String appid, String userId) {
        return ctx.ids().openid(ctx.directory.requireApp(appid).appid(), ctx.directory.requireUser(userId).id);
    }

    /** The unionid the app would see, or null when the app is bound to no open-platform account. */
    public synchronized String unionid(String appid, String userId) {
        App app = ctx.directory.requireApp(appid);
        return app.account() == null ? null : ctx.ids().unionid(app.account(), ctx.directory.requireUser(userId).id);
    }

    /** errmsg with WeChat's trace suffix in the configured style. */
    public synchronized String decorate(String text) {
        return ctx.random.decorate(text, ctx.settings().errmsgStyle);
    }

    // ------------------------------------------------------------------ minting codes (what WeChat's client does)

    /**
     * An authorization code as the user's consent would produce it: website (snsapi_login), mobile
     * (snsapi_userinfo) or official account (snsapi_base / snsapi_userinfo; snapshot = snapshot-page user).
     */
    public synchronized String authorizationCode(String appid, String userId, String scope, boolean snapshot) {
        return authorizationCodes.mint(appid, userId, scope, snapshot);
    }

    /** The code the Open SDK's SendAuth response carries for a mobile app. */
    public synchronized String mobileCode(String appid, String userId) {
        return mobileApp.sendAuthCode(appid, userId);
    }

    /** The code wx.login() returns in a mini program. */
    public synchronized String miniProgramLoginCode(String appid, String userId) {
        return miniProgram.loginCode(appid, userId);
    }

    /** The code the getPhoneNumber button hands the mini program; errno 1400001 when the quota is used up. */
    public synchronized String phoneNumberCode(String appid, String userId) {
        return phoneNumbers.buttonCode(appid, userId);
    }

    /** The user changed the WeChat password: existing user tokens answer 42007. */
    public synchronized void changePassword(String userId) {
        snsUserTokens.changePassword(userId);
    }

    // ------------------------------------------------------------------ api.weixin.qq.com

    public synchronized Map<String, Object> snsAccessToken(Map<String, String> p) {
        return snsUserTokens.exchangeCode(p);
    }

    public synchronized Map<String, Object> snsRefreshToken(Map<String, String> p) {
        return snsUserTokens.refresh(p);
    }

    public synchronized Map<String, Object> snsAuth(Map<String, String> p) {
        return snsUserTokens.check(p);
    }

    public synchronized Map<String, Object> snsUserinfo(Map<String, String> p) {
        return snsUserTokens.userinfo(p);
    }

    public synchronized Map<String, Object> jscode2session(Map<String, String> p) {
        return miniProgram.jscode2session(p);
    }

    /** The session_key currently valid for (mini program, user), or null. */
    public synchronized String sessionKey(String appid, String userId) {
        return miniProgram.sessionKey(appid, userId);
    }

    public synchronized Map<String, Object> checkSession(Map<String, String> p) {
        return miniProgram.checkSession(p);
    }

    /** GET /cgi-bin/token: each call supersedes the previous token, which stays valid for the overlap. */
    public synchronized Map<String, Object> cgiToken(Map<String, String> p, String remoteIp) {
        return appTokens.classic(p, remoteIp);
    }

    /** POST /cgi-bin/stable_token: isolated from cgi-bin/token; idempotent unless force_refresh. */
    public synchronized Map<String, Object> stableToken(Map<String, Object> body, String remoteIp) {
        return appTokens.stable(body, remoteIp);
    }

    public synchronized Map<String, Object> phoneNumber(String accessToken, Map<String, Object> body) {
        return phoneNumbers.exchange(accessToken, body);
    }

    /** The appid a token (app or user) belongs to, for fault matching and the request log; null if unknown. */
    public synchronized String appidOfToken(String token) {
        if (token == null) return null;
        String app = appTokens.appidOf(token);
        return app != null ? app : snsUserTokens.appidOf(token);
    }

    // ------------------------------------------------------------------ official account: QR codes, followers, events

    /** POST /cgi-bin/qrcode/create; {@code baseUrl} is where this emulator serves the scan-and-follow page. */
    public synchronized Map<String, Object> createQrCode(String accessToken, Map<String, Object> body, String baseUrl) {
        return messaging.createQrCode(accessToken, body, baseUrl);
    }

    /** The QR code behind a ticket or the id in its /q/{id} URL; null when unknown. */
    public synchronized QrTicket qrTicket(String ticketOrUrlId) {
        return messaging.ticket(ticketOrUrlId);
    }

    /** GET /cgi-bin/user/info */
    public synchronized Map<String, Object> officialAccountUserInfo(Map<String, String> p) {
        return messaging.userInfo(p);
    }

    /** The event a scan makes WeChat push (SCAN, or subscribe when {@code follow}), null for none; not yet sent. */
    public synchronized EventPush scanQrCode(String ticketOrUrlId, String userId, boolean follow) {
        return messaging.scan(ticketOrUrlId, userId, follow);
    }

    /** The unsubscribe event of an unfollow, null when the user did not follow; not yet sent. */
    public synchronized EventPush unfollow(String appid, String userId) {
        return messaging.unfollow(appid, userId);
    }

    public synchronized boolean follows(String appid, String userId) {
        ctx.directory.requireApp(appid);
        ctx.directory.requireUser(userId);
        return messaging.follows(appid, userId);
    }

    /** Sets (null: removes) an official account's server configuration. */
    public synchronized void setMessageEndpoint(String appid, MessageEndpoint endpoint) {
        messaging.setEndpoint(appid, endpoint);
    }

    public synchronized MessageEndpoint messageEndpoint(String appid) {
        return messaging.endpoint(appid);
    }

    /** The original id (gh_…) events of this account are addressed to. */
    public synchronized String originalId(String appid) {
        return messaging.originalId(ctx.directory.requireApp(appid).appid());
    }

    /** The query of WeChat's URL check (signature, echostr, timestamp, nonce) for the account's endpoint. */
    public synchronized Map<String, String> urlVerification(String appid) {
        return messaging.urlVerification(appid);
    }

    // ------------------------------------------------------------------ browser pages (open.weixin.qq.com)

    /** Validates a /connect/qrconnect request and opens a QR session. */
    public synchronized AuthSession openQrSession(Map<String, String> p) {
        return websiteQrLogin.open(p);
    }

    /** Validates a /connect/oauth2/authorize request and opens an official-account session. */
    public synchronized AuthSession openOaSession(Map<String, String> p) {
        return officialAccount.open(p);
    }

    public synchronized AuthSession session(String id) {
        return authSessions.get(id);
    }

    public synchronized void scan(AuthSession s, String userId, boolean snapshot) {
        authSessions.scan(s, userId, snapshot);
    }

    /** Whether the official-account page skips the confirm step for this session's user. */
    public synchronized boolean silent(AuthSession s) {
        return officialAccount.silent(s);
    }

    /**
     * The user confirmed, and WeChat hits the callback twice (settings.doubleCallback): returns the two redirect
     * URLs — same code, or a second code with the same state.
     */
    public synchronized List<String> confirmTwice(AuthSession s) {
        return authSessions.confirmTwice(s);
    }

    /** The user confirmed: returns the redirect URL carrying code and state. */
    public synchronized String confirm(AuthSession s) {
        return authSessions.confirm(s);
    }

    /** The user cancelled: returns the redirect URL (state-only mode) or null (no-redirect mode). */
    public synchronized String cancel(AuthSession s) {
        return authSessions.cancel(s);
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
