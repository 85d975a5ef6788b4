package dev.tongxing.wechat.emulator.quota;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The API groups a quota rule may name, and the WeChat paths each one counts. */
public final class QuotaApis {
    private QuotaApis() {}

    /** Counted on the client, not on a server API: the getPhoneNumber button refuses with errno 1400001. */
    public static final String PHONE_CODE = "phone-code";

    public static final Map<String, List<String>> GROUPS;

    static {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("code-exchange", List.of("/sns/oauth2/access_token", "/sns/jscode2session"));
        m.put("refresh-token", List.of("/sns/oauth2/refresh_token"));
        m.put("userinfo", List.of("/sns/userinfo"));
        m.put("sns-auth", List.of("/sns/auth"));
        m.put("access-token", List.of("/cgi-bin/token"));
        m.put("stable-token", List.of("/cgi-bin/stable_token"));
        m.put("phone-number", List.of("/wxa/business/getuserphonenumber"));
        m.put("check-session", List.of("/wxa/checksession"));
        m.put("qrcode", List.of("/cgi-bin/qrcode/create"));
        m.put("user-info", List.of("/cgi-bin/user/info"));
        m.put(PHONE_CODE, List.of());
        GROUPS = java.util.Collections.unmodifiableMap(m);
    }

    /** Whether a rule's {@code api} counts calls of this path ({@code PHONE_CODE} for the phone button). */
    static boolean matches(String api, String path) {
        if (api.equals(path)) return true;
        if (PHONE_CODE.equals(path)) return false;
        if ("*".equals(api)) return true;
        List<String> paths = GROUPS.get(api);
        return paths != null && paths.contains(path);
    }

    static void validate(String api) {
        if (api == null || api.isBlank()) throw new IllegalArgumentException("quota rule needs 'api': one of " + GROUPS.keySet() + ", an API path or *");
        if (!api.equals("*") && !api.startsWith("/") && !GROUPS.containsKey(api)) {
            throw new IllegalArgumentException("unknown quota api " + api + ": one of " + GROUPS.keySet() + ", an API path or *");
        }
    }
}
