package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.core.EmulatorEngine.AuthSession;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.PageError;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Browser authorizations in progress, for both page products (website QR page, official-account page): the
 * user scans or opens, then confirms or cancels, and the browser is sent back with code and state.
 */
final class AuthSessions {
    private final EngineContext ctx;
    private final AuthorizationCodes codes;
    private final Map<String, AuthSession> sessions = new LinkedHashMap<>();

    AuthSessions(EngineContext ctx, AuthorizationCodes codes) {
        this.ctx = ctx;
        this.codes = codes;
    }

    void clear() {
        sessions.clear();
    }

    String newId() {
        return ctx.random.alnum(16);
    }

    AuthSession open(AuthSession s) {
        sessions.put(s.id, s);
        return s;
    }

    AuthSession get(String id) {
        AuthSession s = sessions.get(id);
        if (s == null) throw new PageError("session", "二维码已失效", "unknown or expired login session");
        return s;
    }

    void scan(AuthSession s, String userId, boolean snapshot) {
        ctx.directory.requireUser(userId);
        s.userId = userId;
        s.snapshot = snapshot;
        s.status = AuthSession.Status.SCANNED;
    }

    /**
     * The user confirmed, and WeChat hits the callback twice (settings.doubleCallback): returns the two redirect
     * URLs — same code, or a second code with the same state.
     */
    List<String> confirmTwice(AuthSession s) {
        String first = confirm(s);
        if ("new-code".equals(ctx.settings().doubleCallback)) {
            String code = codes.mint(s.app.appid(), s.userId, s.scope, s.snapshot);
            return List.of(first, EmulatorEngine.withParams(s.redirectUri, "code=" + code + "&state=" + enc(s.state)));
        }
        return List.of(first, first);
    }

    /** The user confirmed: returns the redirect URL carrying code and state. */
    String confirm(AuthSession s) {
        if (s.userId == null) throw new PageError("session", "请先扫码", "scan first");
        String code = codes.mint(s.app.appid(), s.userId, s.scope, s.snapshot);
        s.status = AuthSession.Status.CONFIRMED;
        sessions.remove(s.id);
        return EmulatorEngine.withParams(s.redirectUri, "code=" + code + "&state=" + enc(s.state));
    }

    /** The user cancelled: returns the redirect URL (state-only mode) or null (no-redirect mode). */
    String cancel(AuthSession s) {
        s.status = AuthSession.Status.CANCELLED;
        if ("state-only".equals(ctx.settings().denyBehaviour)) {
            sessions.remove(s.id);
            return EmulatorEngine.withParams(s.redirectUri, "state=" + enc(s.state));
        }
        return null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
