package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.Settings;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.Code;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.CodeKind;

import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import static dev.tongxing.wechat.emulator.core.Params.param;
import static dev.tongxing.wechat.emulator.core.Params.require;

/** Mini program login: wx.login() codes, sns/jscode2session and its session_key, wxa/checksession. */
final class MiniProgramLogin {
    private final EngineContext ctx;
    private final CodeStore codes;
    private final AppTokens appTokens;
    private final Map<String, String> sessionKeys = new HashMap<>();
    /** appid|user → {minute, calls in that minute}: jscode2session's per-user minute limit. */
    private final Map<String, long[]> jscodeCounters = new HashMap<>();

    MiniProgramLogin(EngineContext ctx, CodeStore codes, AppTokens appTokens) {
        this.ctx = ctx;
        this.codes = codes;
        this.appTokens = appTokens;
    }

    void clear() {
        sessionKeys.clear();
        jscodeCounters.clear();
    }

    /** The code wx.login() returns in a mini program. */
    String loginCode(String appid, String userId) {
        App app = ctx.directory.requireApp(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new IllegalArgumentException(appid + " is not a mini program (" + app.kind().id() + ")");
        UserConfig u = ctx.directory.requireUser(userId);
        return codes.mint(CodeKind.JSCODE, app, u.id, null, false, ctx.settings().miniProgramCodeSeconds, ctx.random.alnum(32)).value;
    }

    /** GET /sns/jscode2session */
    Map<String, Object> jscode2session(Map<String, String> p) {
        Settings settings = ctx.settings();
        String appid = require(p, "appid", 41002);
        String secret = require(p, "secret", 41004);
        String jsCode = require(p, "js_code", 41008);
        if (!"authorization_code".equals(param(p, "grant_type"))) throw new WxException(40002);
        App app = ctx.directory.appOr40013(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new WxException(40013);
        if (!app.secret().equals(secret)) throw new WxException(settings.invalidSecretErrcode);
        Code c = codes.consumable(jsCode, CodeKind.JSCODE, appid, settings.codeReusedErrcode, 40029);
        UserConfig u = ctx.directory.user(c.userId);
        String key = appid + "|" + u.id;
        long minute = ctx.now().getEpochSecond() / 60;
        long[] counter = jscodeCounters.computeIfAbsent(key, k -> new long[] {minute, 0});
        if (counter[0] != minute) {
            counter[0] = minute;
            counter[1] = 0;
        }
        if (++counter[1] > settings.jscode2sessionPerUserPerMinute) throw new WxException(45011);
        if (u.blocked) throw new WxException(40226);
        c.used = true;
        byte[] k = new byte[16];
        ctx.random.nextBytes(k);
        String sessionKey = Base64.getEncoder().encodeToString(k);
        sessionKeys.put(key, sessionKey); // a new login silently invalidates the previous session_key
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("session_key", sessionKey);
        r.put("openid", ctx.ids().openid(appid, u.id));
        if (app.account() != null) r.put("unionid", ctx.ids().unionid(app.account(), u.id));
        return r;
    }

    /** The session_key currently valid for (mini program, user), or null. */
    String sessionKey(String appid, String userId) {
        return sessionKeys.get(appid + "|" + userId);
    }

    /** GET /wxa/checksession */
    Map<String, Object> checkSession(Map<String, String> p) {
        String appid = appTokens.requireAppid(param(p, "access_token"));
        String openid = param(p, "openid");
        if (openid == null) throw new WxException(41009);
        String userId = ctx.directory.userByOpenid(appid, openid);
        if (userId == null) throw new WxException(40003);
        String key = sessionKeys.get(appid + "|" + userId);
        String sig = param(p, "signature");
        if (key == null || sig == null || !"hmac_sha256".equals(param(p, "sig_method"))) throw new WxException(87009);
        String expected = Ids.hex(Ids.hmac(Base64.getDecoder().decode(key), ""));
        if (!expected.equalsIgnoreCase(sig)) throw new WxException(87009);
        return Params.ok();
    }
}
