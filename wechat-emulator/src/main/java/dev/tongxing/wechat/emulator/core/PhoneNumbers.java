package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.ClientError;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.Code;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.CodeKind;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The mini program's phone number: the getPhoneNumber button's code (refused on the client with errno 1400001
 * once the app's paid quota is used up) and its exchange on wxa/business/getuserphonenumber.
 */
final class PhoneNumbers {
    private final EngineContext ctx;
    private final CodeStore codes;
    private final AppTokens appTokens;
    private final Map<String, Integer> codesMinted = new HashMap<>();

    PhoneNumbers(EngineContext ctx, CodeStore codes, AppTokens appTokens) {
        this.ctx = ctx;
        this.codes = codes;
        this.appTokens = appTokens;
    }

    void clear() {
        codesMinted.clear();
    }

    /** The code the getPhoneNumber button hands the mini program; errno 1400001 when the quota is used up. */
    String buttonCode(String appid, String userId) {
        App app = ctx.directory.requireApp(appid);
        if (app.kind() != AppKind.MINI_PROGRAM) throw new IllegalArgumentException(appid + " is not a mini program (" + app.kind().id() + ")");
        UserConfig u = ctx.directory.requireUser(userId);
        if (u.phone == null || u.phone.isBlank()) throw new ClientError(-1, "getPhoneNumber:fail user " + userId + " has no phone number");
        int minted = codesMinted.getOrDefault(appid, 0);
        if (app.phoneQuota() != null && minted >= app.phoneQuota()) {
            throw new ClientError(1400001, "getPhoneNumber:fail no permission (quota exhausted, errno 1400001)");
        }
        codesMinted.put(appid, minted + 1);
        return codes.mint(CodeKind.PHONE, app, u.id, null, false, ctx.settings().phoneCodeSeconds, ctx.random.hex(64)).value;
    }

    /** POST /wxa/business/getuserphonenumber */
    Map<String, Object> exchange(String accessToken, Map<String, Object> body) {
        App app = ctx.directory.app(appTokens.requireAppid(accessToken));
        if (app.kind() != AppKind.MINI_PROGRAM) throw new WxException(48001);
        String value = Params.bodyString(body, "code");
        if (value == null) throw new WxException(41008);
        Code c = codes.consumable(value, CodeKind.PHONE, app.appid(), 40029, 40029);
        String openid = Params.bodyString(body, "openid");
        if (openid != null && !openid.equals(ctx.ids().openid(app.appid(), c.userId))) throw new WxException(40029);
        c.used = true;
        UserConfig u = ctx.directory.user(c.userId);
        String phone = u.phone.trim();
        String cc = "86";
        String pure = phone;
        if (phone.startsWith("+")) {
            int sp = phone.indexOf(' ');
            cc = sp > 0 ? phone.substring(1, sp) : "86";
            pure = sp > 0 ? phone.substring(sp + 1).replace(" ", "") : phone.substring(1);
        }
        Map<String, Object> watermark = new LinkedHashMap<>();
        watermark.put("timestamp", ctx.now().getEpochSecond());
        watermark.put("appid", app.appid());
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("phoneNumber", "86".equals(cc) ? pure : "+" + cc + pure);
        info.put("purePhoneNumber", pure);
        info.put("countryCode", ctx.settings().phoneCountryCodeAsNumber ? (Object) Long.parseLong(cc) : cc);
        info.put("watermark", watermark);
        Map<String, Object> r = Params.ok();
        r.put("phone_info", info);
        return r;
    }
}
