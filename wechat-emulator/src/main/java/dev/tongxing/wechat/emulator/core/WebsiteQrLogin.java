package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.AuthSession;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.PageError;

import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.core.CallbackDomains.LINK_UNAVAILABLE;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_LOGIN;
import static dev.tongxing.wechat.emulator.core.Params.nz;
import static dev.tongxing.wechat.emulator.core.Params.param;

/** Website QR login (网站应用微信登录): the /connect/qrconnect page a website app sends the browser to. */
final class WebsiteQrLogin {
    private final EngineContext ctx;
    private final AuthSessions sessions;

    WebsiteQrLogin(EngineContext ctx, AuthSessions sessions) {
        this.ctx = ctx;
        this.sessions = sessions;
    }

    /** Validates a /connect/qrconnect request and opens a QR session. */
    AuthSession open(Map<String, String> p) {
        String appid = param(p, "appid");
        if (appid == null) throw new PageError("10012", LINK_UNAVAILABLE, "appid 参数错误 (appid missing)");
        App app = ctx.directory.app(appid);
        if (app == null) throw new PageError("10012", LINK_UNAVAILABLE, "appid 参数错误 (unknown appid " + appid + ")");
        String scope = param(p, "scope");
        if (app.kind() != AppKind.WEBSITE || scope == null || !List.of(scope.split(",")).contains(SCOPE_LOGIN)) {
            throw new PageError("scope", LINK_UNAVAILABLE, "Scope 参数错误或没有 Scope 权限 (website app with scope snsapi_login required)");
        }
        String redirect = CallbackDomains.check(app, param(p, "redirect_uri"), false);
        if (!"code".equals(param(p, "response_type"))) throw new PageError("response_type", LINK_UNAVAILABLE, "response_type must be code");
        return sessions.open(new AuthSession(sessions.newId(), true, app, redirect, nz(p.get("state")), SCOPE_LOGIN, false));
    }
}
