package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.ClientError;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.tongxing.wechat.emulator.core.Params.param;

/**
 * The official account as a message platform: parametric QR codes (cgi-bin/qrcode/create, showqrcode), who
 * follows which account, the subscribe / SCAN / unsubscribe events a scan or an unfollow makes WeChat push to the
 * account's message endpoint (plain, compatible or safe mode), and cgi-bin/user/info. It only builds the pushes;
 * {@link EventPusher} sends them, outside the engine's lock.
 */
final class OfficialAccountMessaging {
    /** WeChat's limits for temporary codes: 60 s when not given, at most 30 days. */
    static final long DEFAULT_EXPIRE_SECONDS = 60;
    static final long MAX_EXPIRE_SECONDS = 2_592_000;
    private static final List<String> ACTIONS = List.of("QR_SCENE", "QR_STR_SCENE", "QR_LIMIT_SCENE", "QR_LIMIT_STR_SCENE");

    private final EngineContext ctx;
    private final AppTokens appTokens;
    private final Map<String, MessageEndpoint> endpoints = new HashMap<>();
    private final Map<String, String> originalIds = new HashMap<>();
    private final Map<String, QrTicket> tickets = new LinkedHashMap<>();
    private final Map<String, String> ticketsByUrlId = new HashMap<>();
    /** appid|user → how they followed, for those whose state changed since the configuration was loaded. */
    private final Map<String, Subscription> subscriptions = new HashMap<>();
    private final Set<String> unfollowed = new HashSet<>();
    private Instant loadedAt;
    private long pushes;

    private record Subscription(long time, String scene, String actionName) {}

    OfficialAccountMessaging(EngineContext ctx, AppTokens appTokens) {
        this.ctx = ctx;
        this.appTokens = appTokens;
    }

    void clear() {
        endpoints.clear();
        originalIds.clear();
        tickets.clear();
        ticketsByUrlId.clear();
        subscriptions.clear();
        unfollowed.clear();
        loadedAt = ctx.now();
        pushes = 0;
    }

    /** Takes an app's server configuration from its config entry (official accounts with a messageUrl). */
    void configure(AppConfig a) {
        if (a.originalId != null && !a.originalId.isBlank()) originalIds.put(a.appid, a.originalId);
        if (a.messageUrl != null && !a.messageUrl.isBlank()) {
            endpoints.put(a.appid, new MessageEndpoint(a.messageUrl, a.messageToken, a.encodingAesKey, a.messageMode));
        } else {
            endpoints.remove(a.appid);
        }
    }

    void setEndpoint(String appid, MessageEndpoint endpoint) {
        requireOfficialAccount(appid);
        if (endpoint == null) endpoints.remove(appid);
        else endpoints.put(appid, endpoint);
    }

    MessageEndpoint endpoint(String appid) {
        return endpoints.get(appid);
    }

    String originalId(String appid) {
        String id = originalIds.get(appid);
        return id != null ? id : "gh_" + Ids.hex(Ids.hmac(appid.getBytes(java.nio.charset.StandardCharsets.UTF_8), "original-id")).substring(0, 12);
    }

    /** Whether the user follows the account: their configured {@code follower} flag until a follow or unfollow. */
    boolean follows(String appid, String userId) {
        String key = appid + "|" + userId;
        if (subscriptions.containsKey(key)) return true;
        if (unfollowed.contains(key)) return false;
        UserConfig u = ctx.directory.user(userId);
        return u != null && u.follower;
    }

    // ------------------------------------------------------------------ cgi-bin/qrcode/create, showqrcode

    /** POST /cgi-bin/qrcode/create; {@code baseUrl} is where the emulator's scan-and-follow page is served. */
    Map<String, Object> createQrCode(String accessToken, Map<String, Object> body, String baseUrl) {
        App app = ctx.directory.app(appTokens.requireAppid(accessToken));
        if (app.kind() != AppKind.OFFICIAL_ACCOUNT || !app.verified()) throw new WxException(48001);
        String action = body.get("action_name") instanceof String s ? s : null;
        if (action == null || !ACTIONS.contains(action)) throw new WxException(40097, "invalid args, action_name must be one of " + ACTIONS);
        Object scene = body.get("action_info") instanceof Map<?, ?> info && info.get("scene") instanceof Map<?, ?> sc
                ? sc.get(action.endsWith("STR_SCENE") ? "scene_str" : "scene_id") : null;
        String sceneValue;
        if (action.endsWith("STR_SCENE")) {
            if (!(scene instanceof String s) || s.isEmpty() || s.length() > 64) throw new WxException(40097, "invalid args, scene_str must be 1 to 64 characters");
            sceneValue = s;
        } else {
            long max = action.equals("QR_LIMIT_SCENE") ? 100_000 : 4_294_967_295L;
            if (!(scene instanceof Number n) || n.longValue() < 1 || n.longValue() > max) throw new WxException(40097, "invalid args, scene_id must be 1 to " + max);
            sceneValue = String.valueOf(((Number) scene).longValue());
        }
        boolean temporary = !action.startsWith("QR_LIMIT");
        long expire = DEFAULT_EXPIRE_SECONDS;
        if (body.get("expire_seconds") instanceof Number n && n.longValue() > 0) expire = Math.min(n.longValue(), MAX_EXPIRE_SECONDS);
        String ticket = "gQ" + ctx.random.alnum(62) + "==";
        String urlId = ctx.random.alnum(22);
        QrTicket t = new QrTicket(ticket, urlId, app.appid(), action, sceneValue, temporary ? ctx.now().plusSeconds(expire) : null);
        tickets.put(ticket, t);
        ticketsByUrlId.put(urlId, ticket);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("ticket", ticket);
        if (temporary) r.put("expire_seconds", expire);
        r.put("url", baseUrl + "/q/" + urlId);
        return r;
    }

    /** The code behind a ticket or a /q/{id} URL, expired or not; null when unknown. */
    QrTicket ticket(String ticketOrUrlId) {
        if (ticketOrUrlId == null) return null;
        QrTicket t = tickets.get(ticketOrUrlId);
        if (t != null) return t;
        String ticket = ticketsByUrlId.get(ticketOrUrlId);
        return ticket == null ? null : tickets.get(ticket);
    }

    // ------------------------------------------------------------------ scanning, following, events

    /**
     * The user scanned the code: a follower makes WeChat push SCAN (EventKey = the scene); a non-follower who
     * follows makes it push subscribe (EventKey = qrscene_ + the scene) and now follows; a non-follower who does
     * not follow makes it push nothing (null).
     */
    EventPush scan(String ticketOrUrlId, String userId, boolean follow) {
        QrTicket t = ticket(ticketOrUrlId);
        if (t == null) throw new IllegalArgumentException("unknown QR ticket");
        if (t.expired(ctx.now())) throw new ClientError(-1, "二维码已过期 (the QR code expired at " + t.expiresAt() + ")");
        UserConfig u = ctx.directory.requireUser(userId);
        String key = t.appid() + "|" + u.id;
        if (follows(t.appid(), u.id)) return push(t.appid(), u.id, "SCAN", t.scene(), t.ticket());
        if (!follow) return null;
        unfollowed.remove(key);
        subscriptions.put(key, new Subscription(ctx.now().getEpochSecond(), t.scene(), t.actionName()));
        return push(t.appid(), u.id, "subscribe", "qrscene_" + t.scene(), t.ticket());
    }

    /** The user unfollowed: WeChat pushes unsubscribe; null when they did not follow. */
    EventPush unfollow(String appid, String userId) {
        requireOfficialAccount(appid);
        UserConfig u = ctx.directory.requireUser(userId);
        if (!follows(appid, u.id)) return null;
        String key = appid + "|" + u.id;
        subscriptions.remove(key);
        unfollowed.add(key);
        return push(appid, u.id, "unsubscribe", null, null);
    }

    /** The GET WeChat sends when the server configuration is saved: echostr must come back unchanged. */
    Map<String, String> urlVerification(String appid) {
        MessageEndpoint e = endpoints.get(appid);
        if (e == null) throw new IllegalArgumentException(appid + " has no message endpoint");
        String timestamp = String.valueOf(ctx.now().getEpochSecond());
        String nonce = ctx.random.string("0123456789", 10);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("signature", MessageCrypto.signature(e.token(), timestamp, nonce));
        q.put("echostr", ctx.random.string("0123456789", 19));
        q.put("timestamp", timestamp);
        q.put("nonce", nonce);
        return q;
    }

    private EventPush push(String appid, String userId, String event, String eventKey, String ticket) {
        String openid = ctx.ids().openid(appid, userId);
        String originalId = originalId(appid);
        long createTime = ctx.now().getEpochSecond();
        StringBuilder xml = new StringBuilder("<xml>");
        xml.append("<ToUserName>").append(cdata(originalId)).append("</ToUserName>");
        xml.append("<FromUserName>").append(cdata(openid)).append("</FromUserName>");
        xml.append("<CreateTime>").append(createTime).append("</CreateTime>");
        xml.append("<MsgType>").append(cdata("event")).append("</MsgType>");
        xml.append("<Event>").append(cdata(event)).append("</Event>");
        if (eventKey != null) xml.append("<EventKey>").append(cdata(eventKey)).append("</EventKey>");
        if (ticket != null) xml.append("<Ticket>").append(cdata(ticket)).append("</Ticket>");
        xml.append("</xml>");
        String plain = xml.toString();
        String id = "push-" + ++pushes;
        MessageEndpoint e = endpoints.get(appid);
        if (e == null) return new EventPush(id, appid, originalId, event, openid, eventKey, createTime, plain, null, Map.of(), plain);

        String timestamp = String.valueOf(createTime);
        String nonce = ctx.random.string("0123456789", 10);
        Map<String, String> q = new LinkedHashMap<>();
        q.put("signature", MessageCrypto.signature(e.token(), timestamp, nonce));
        q.put("timestamp", timestamp);
        q.put("nonce", nonce);
        q.put("openid", openid);
        String body = plain;
        if (e.encrypted()) {
            byte[] random16 = ctx.random.alnum(16).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            String encrypt = MessageCrypto.encrypt(e.encodingAesKey(), appid, random16, plain);
            q.put("encrypt_type", "aes");
            q.put("msg_signature", MessageCrypto.msgSignature(e.token(), timestamp, nonce, encrypt));
            String encryptElement = "<Encrypt>" + cdata(encrypt) + "</Encrypt>";
            body = "safe".equals(e.mode())
                    ? "<xml><ToUserName>" + cdata(originalId) + "</ToUserName>" + encryptElement + "</xml>"
                    : plain.substring(0, plain.length() - "</xml>".length()) + encryptElement + "</xml>";
        }
        return new EventPush(id, appid, originalId, event, openid, eventKey, createTime, plain, e, java.util.Collections.unmodifiableMap(q), body);
    }

    static String cdata(String s) {
        return "<![CDATA[" + s.replace("]]>", "]]]]><![CDATA[>") + "]]>";
    }

    // ------------------------------------------------------------------ cgi-bin/user/info

    /** GET /cgi-bin/user/info: follower info; unionid only for followers of a bound account. */
    Map<String, Object> userInfo(Map<String, String> p) {
        String appid = appTokens.requireAppid(param(p, "access_token"));
        App app = ctx.directory.app(appid);
        if (app.kind() != AppKind.OFFICIAL_ACCOUNT) throw new WxException(48001);
        String openid = param(p, "openid");
        if (openid == null) throw new WxException(41009);
        String userId = ctx.directory.userByOpenid(appid, openid);
        if (userId == null) throw new WxException(40003);
        Map<String, Object> r = new LinkedHashMap<>();
        if (!follows(appid, userId)) {
            r.put("subscribe", 0);
            r.put("openid", openid);
            return r;
        }
        Subscription s = subscriptions.get(appid + "|" + userId);
        r.put("subscribe", 1);
        r.put("openid", openid);
        r.put("language", "zh_CN");
        r.put("subscribe_time", s != null ? s.time() : loadedAt.getEpochSecond());
        if (app.account() != null) r.put("unionid", ctx.ids().unionid(app.account(), userId));
        r.put("remark", "");
        r.put("groupid", 0);
        r.put("tagid_list", List.of());
        r.put("subscribe_scene", s != null ? "ADD_SCENE_QR_CODE" : "ADD_SCENE_OTHERS");
        boolean numeric = s != null && !s.actionName().endsWith("STR_SCENE");
        r.put("qr_scene", numeric ? Long.parseLong(s.scene()) : 0);
        r.put("qr_scene_str", s != null && !numeric ? s.scene() : "");
        return r;
    }

    private void requireOfficialAccount(String appid) {
        App app = ctx.directory.requireApp(appid);
        if (app.kind() != AppKind.OFFICIAL_ACCOUNT) throw new IllegalArgumentException(appid + " is not an official account (" + app.kind().id() + ")");
    }
}
