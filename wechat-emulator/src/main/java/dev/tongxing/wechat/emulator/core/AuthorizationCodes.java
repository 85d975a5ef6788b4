package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.CodeKind;

import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_BASE;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_LOGIN;
import static dev.tongxing.wechat.emulator.core.EmulatorEngine.SCOPE_USERINFO;

/**
 * The OAuth code a user's consent produces, for the three products that exchange it on sns/oauth2: website QR
 * login (snsapi_login), the mobile Open SDK (snsapi_userinfo) and official-account web authorization.
 */
final class AuthorizationCodes {
    private final EngineContext ctx;
    private final CodeStore codes;

    AuthorizationCodes(EngineContext ctx, CodeStore codes) {
        this.ctx = ctx;
        this.codes = codes;
    }

    /** scope null = the app kind's default; snapshot = the official-account snapshot-page user. */
    String mint(String appid, String userId, String scope, boolean snapshot) {
        App app = ctx.directory.requireApp(appid);
        UserConfig u = ctx.directory.requireUser(userId);
        String s = scope;
        switch (app.kind()) {
            case WEBSITE -> s = s == null ? SCOPE_LOGIN : s;
            case MOBILE -> s = s == null ? SCOPE_USERINFO : s;
            case OFFICIAL_ACCOUNT -> s = s == null ? SCOPE_BASE : s;
            case MINI_PROGRAM -> throw new IllegalArgumentException(appid + " is a mini program: use a wx.login code");
        }
        boolean snap = app.kind() == AppKind.OFFICIAL_ACCOUNT && s.contains(SCOPE_USERINFO) && (snapshot || u.snapshot);
        return codes.mint(CodeKind.OAUTH, app, u.id, s, snap, lifetimeSeconds(app.kind()), ctx.random.alnum(32)).value;
    }

    private long lifetimeSeconds(AppKind kind) {
        return switch (kind) {
            case WEBSITE, MOBILE -> ctx.settings().openPlatformCodeSeconds;
            case OFFICIAL_ACCOUNT -> ctx.settings().officialAccountCodeSeconds;
            case MINI_PROGRAM -> ctx.settings().miniProgramCodeSeconds;
        };
    }
}
