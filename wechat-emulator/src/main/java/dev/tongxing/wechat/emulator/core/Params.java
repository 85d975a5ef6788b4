package dev.tongxing.wechat.emulator.core;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Reading request parameters the way WeChat does (an empty value counts as missing) and building replies. */
final class Params {
    private Params() {}

    static String param(Map<String, String> p, String name) {
        String v = p.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    /** The parameter, or the errcode WeChat answers when it is missing. */
    static String require(Map<String, String> p, String name, int errcode) {
        String v = param(p, name);
        if (v == null) throw new WxException(errcode);
        return v;
    }

    static String bodyString(Map<String, Object> body, String name) {
        return body.get(name) instanceof String s && !s.isEmpty() ? s : null;
    }

    static String nz(String s) {
        return s == null ? "" : s;
    }

    static boolean expired(Instant expiresAt, Instant now) {
        return !now.isBefore(expiresAt);
    }

    static Map<String, Object> ok() {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("errcode", 0);
        r.put("errmsg", "ok");
        return r;
    }
}
