package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.AuthSession;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.PageError;

import java.util.Map;
import java.util.regex.Pattern;

import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_BASE;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_USERINFO;
import static dev.tongxing.wechat.emulator.core.Params.nz;
import static dev.tongxing.wechat.emulator.core.Params.param;

/** Official-account web authorization (公众号网页授权): the /connect/oauth2/authorize page inside the WeChat client. */
final class OfficialAccountWebAuth {
    private static final Pattern OA_STATE = Pattern.compile("[a-zA-Z0-9]{0,128}");

    private final EngineContext ctx;
    private final AuthSessions sessions;
    private final OfficialAccountMessaging followers;

    OfficialAccountWebAuth(EngineContext ctx, AuthSessions sessions, OfficialAccountMessaging followers) {
        this.ctx = ctx;
        this.sessions = sessions;
        this.followers = followers;
    }

    /** Validates a /connect/oauth2/authorize request and opens an official-account session. */
    AuthSession open(Map<String, String> p) {
        String appid = param(p, "appid");
        if (appid == null) throw new PageError("10012", "10012", "appid 参数错误 (appid missing)");
        App app = ctx.directory.app(appid);
        if (app == null) throw new PageError("10012", "10012", "appid 参数错误 (unknown appid " + appid + ")");
        String redirect = CallbackDomains.check(app, param(p, "redirect_uri"), true);
        String scope = param(p, "scope");
        if (scope == null || !(scope.equals(SCOPE_BASE) || scope.equals(SCOPE_USERINFO))) {
            throw new PageError("10005", "Scope 参数错误或没有 Scope 权限", "scope must be snsapi_base or snsapi_userinfo");
        }
        if (app.kind() != AppKind.OFFICIAL_ACCOUNT || !app.verified()) {
            throw new PageError("10005", "Scope 参数错误或没有 Scope 权限", "no permission for this scope (needs a verified official account)");
        }
        if (!"code".equals(param(p, "response_type"))) throw new PageError("response_type", "redirect_uri 参数错误", "response_type must be code");
        String state = nz(p.get("state"));
        if (ctx.settings().strictOaState && !OA_STATE.matcher(state).matches()) {
            throw new PageError("state", "state 参数错误", "state must be [a-zA-Z0-9], at most 128 bytes");
        }
        return sessions.open(new AuthSession(sessions.newId(), false, app, redirect, state, scope, "true".equals(p.get("forcePopup"))));
    }

    /** Whether the page skips the confirm step: snsapi_base always, snsapi_userinfo for a follower unless forced. */
    boolean silent(AuthSession s) {
        if (s.qr) return false;
        if (SCOPE_BASE.equals(s.scope)) return true;
        UserConfig u = ctx.directory.user(s.userId);
        return u != null && followers.follows(s.app.appid(), u.id) && !s.forcePopup && !s.snapshot && !u.snapshot;
    }
}
