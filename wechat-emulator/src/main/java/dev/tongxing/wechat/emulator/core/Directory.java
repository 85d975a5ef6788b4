package dev.tongxing.wechat.emulator.core;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine.App;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Who exists: open-platform accounts, registered apps and test users, and the ids WeChat derives for them. */
final class Directory {
    private Ids ids;
    private final Map<String, App> apps = new LinkedHashMap<>();
    private final Map<String, UserConfig> users = new LinkedHashMap<>();
    private final Map<String, String> accounts = new LinkedHashMap<>();

    void load(EmulatorConfig config) {
        ids = new Ids(config.idSecret);
        apps.clear();
        users.clear();
        accounts.clear();
        for (EmulatorConfig.AccountConfig a : config.accounts) accounts.put(a.id, a.name == null ? a.id : a.name);
        for (AppConfig a : config.apps) addApp(a);
        for (UserConfig u : config.users) addUser(u);
    }

    Ids ids() {
        return ids;
    }

    App addApp(AppConfig a) {
        if (a.appid == null || a.appid.isBlank()) throw new IllegalArgumentException("app needs an appid");
        if (a.secret == null || a.secret.isBlank()) throw new IllegalArgumentException("app " + a.appid + " needs a secret");
        if (a.account != null && !accounts.containsKey(a.account)) accounts.put(a.account, a.account);
        App app = new App(a.appid, a.secret, AppKind.parse(a.kind), a.name == null ? a.appid : a.name, a.account,
                List.copyOf(a.callbackDomains == null ? List.of() : a.callbackDomains), a.verified, a.secretFrozen,
                List.copyOf(a.ipWhitelist == null ? List.of() : a.ipWhitelist), a.phoneQuota, a.refreshTokenDays);
        apps.put(app.appid(), app);
        return app;
    }

    void addUser(UserConfig u) {
        if (u.id == null || u.id.isBlank()) throw new IllegalArgumentException("user needs an id");
        if (u.nickname == null) u.nickname = u.id;
        if (u.avatar == null) u.avatar = "";
        users.put(u.id, u);
    }

    List<App> apps() {
        return List.copyOf(apps.values());
    }

    List<UserConfig> users() {
        return List.copyOf(users.values());
    }

    Map<String, String> accounts() {
        return Map.copyOf(accounts);
    }

    App app(String appid) {
        return apps.get(appid);
    }

    UserConfig user(String id) {
        return users.get(id);
    }

    /** For control calls: an unknown app is the caller's mistake. */
    App requireApp(String appid) {
        App app = apps.get(appid);
        if (app == null) throw new IllegalArgumentException("unknown appid " + appid);
        return app;
    }

    UserConfig requireUser(String userId) {
        UserConfig u = users.get(userId);
        if (u == null) throw new IllegalArgumentException("unknown user " + userId + " (known: " + users.keySet() + ")");
        return u;
    }

    /** For API calls: an unknown app is WeChat's 40013. */
    App appOr40013(String appid) {
        App app = apps.get(appid);
        if (app == null) throw new WxException(40013);
        return app;
    }

    /** The test user an app-scoped openid belongs to, or null. */
    String userByOpenid(String appid, String openid) {
        String userId = null;
        for (UserConfig u : users.values()) {
            if (ids.openid(appid, u.id).equals(openid)) userId = u.id;
        }
        return userId;
    }
}
