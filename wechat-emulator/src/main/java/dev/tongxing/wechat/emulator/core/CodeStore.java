package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.Code;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.CodeKind;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/** Every one-time code WeChat has handed out (authorization, wx.login, phone), until it is exchanged or forgotten. */
final class CodeStore {
    private final EngineContext ctx;
    private final Map<String, Code> codes = new HashMap<>();

    CodeStore(EngineContext ctx) {
        this.ctx = ctx;
    }

    void clear() {
        codes.clear();
    }

    Code mint(CodeKind kind, App app, String userId, String scope, boolean snapshot, long lifetimeSeconds, String value) {
        Instant now = ctx.now();
        Code c = new Code(value, kind, app.appid(), userId, scope, snapshot, now, now.plusSeconds(lifetimeSeconds));
        codes.put(value, c);
        return c;
    }

    /** The code if this app may still exchange it; the caller marks it used once the exchange succeeds. */
    Code consumable(String value, CodeKind kind, String appid, int reusedErrcode, int expiredErrcode) {
        Code c = codes.get(value);
        if (c == null || c.kind != kind || !c.appid.equals(appid)) throw new WxException(40029);
        if (c.used) throw new WxException(reusedErrcode);
        if (Params.expired(c.expiresAt, ctx.now())) throw new WxException(expiredErrcode);
        return c;
    }
}
