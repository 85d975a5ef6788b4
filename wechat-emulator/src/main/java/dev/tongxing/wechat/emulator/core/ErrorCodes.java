package dev.tongxing.wechat.emulator.core;

import java.util.Map;
import java.util.TreeMap;

/** errcode → errmsg prefix, per section 7 of the protocol reference (texts marked "—" there are best guesses). */
public final class ErrorCodes {
    private ErrorCodes() {}

    public static final Map<Integer, String> TEXTS;

    static {
        Map<Integer, String> m = new TreeMap<>();
        m.put(-1, "system error");
        m.put(40001, "invalid credential, access_token is invalid or not latest");
        m.put(40002, "invalid grant_type");
        m.put(40003, "invalid openid");
        m.put(40013, "invalid appid");
        m.put(40014, "invalid access_token");
        m.put(40029, "invalid code");
        m.put(40030, "invalid refresh_token");
        m.put(40066, "invalid url");
        m.put(40097, "invalid args");
        m.put(40125, "invalid appsecret");
        m.put(40163, "code been used");
        m.put(40164, "invalid ip, not in whitelist");
        m.put(40226, "code blocked");
        m.put(40243, "AppSecret has been frozen");
        m.put(41001, "access_token missing");
        m.put(41002, "appid missing");
        m.put(41003, "refresh_token missing");
        m.put(41004, "appsecret missing");
        m.put(41008, "missing code");
        m.put(41009, "missing openid");
        m.put(42001, "access_token expired");
        m.put(42002, "refresh_token expired");
        m.put(42003, "code expired");
        m.put(42007, "access_token and refresh_token exception, user changed password");
        m.put(43001, "require GET method");
        m.put(43002, "require POST method");
        m.put(43003, "require https");
        m.put(45009, "reach max api daily quota limit");
        m.put(45011, "api minute-quota reach limit mustslower retry next minute");
        m.put(47001, "data format error");
        m.put(48001, "api unauthorized");
        m.put(48017, "api forbidden for this ip, use dns");
        m.put(50001, "user unauthorized");
        m.put(50002, "user limited");
        m.put(61003, "component is not authorized by this account");
        m.put(87009, "invalid signature");
        m.put(89503, "this ip needs admin confirmation");
        TEXTS = java.util.Collections.unmodifiableMap(m);
    }

    public static String text(int errcode) {
        return TEXTS.getOrDefault(errcode, "error " + errcode);
    }
}
