package dev.tongxing.wechat.emulator.core;

import java.util.Locale;

/** The four app types of the reference (网站应用, 移动应用, 公众号, 小程序). */
public enum AppKind {
    WEBSITE("website"), MOBILE("mobile"), OFFICIAL_ACCOUNT("official_account"), MINI_PROGRAM("mini_program");

    private final String id;

    AppKind(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static AppKind parse(String s) {
        if (s == null) throw new IllegalArgumentException("app kind missing");
        String k = s.trim().toLowerCase(Locale.ROOT).replace('-', '_');
        for (AppKind v : values()) {
            if (v.id.equals(k) || v.name().equalsIgnoreCase(k)) return v;
        }
        return switch (k) {
            case "web" -> WEBSITE;
            case "app" -> MOBILE;
            case "oa", "mp" -> OFFICIAL_ACCOUNT;
            case "miniprogram", "mini", "wxa" -> MINI_PROGRAM;
            default -> throw new IllegalArgumentException("unknown app kind '" + s + "' (website | mobile | official_account | mini_program)");
        };
    }
}
