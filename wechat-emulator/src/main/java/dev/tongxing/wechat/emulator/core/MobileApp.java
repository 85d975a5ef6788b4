package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;

/** Mobile app login (移动应用微信登录): the Open SDK's SendAuth hands the app a code exchanged on sns/oauth2. */
final class MobileApp {
    private final EngineContext ctx;
    private final AuthorizationCodes codes;

    MobileApp(EngineContext ctx, AuthorizationCodes codes) {
        this.ctx = ctx;
        this.codes = codes;
    }

    /** The code of a successful SendAuth for (mobile app, user). */
    String sendAuthCode(String appid, String userId) {
        App app = ctx.directory.requireApp(appid);
        if (app.kind() != AppKind.MOBILE) throw new IllegalArgumentException(appid + " is not a mobile app (" + app.kind().id() + ")");
        return codes.mint(appid, userId, EmulatorEngine.SCOPE_USERINFO, false);
    }
}
