package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.AccountConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig;
import dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig;

import java.util.List;

/**
 * The configuration used when no file is given. These appids, secrets and users are stable: the gateway's
 * dev profile and tests reference them. See README.md, "Default fixture".
 */
public final class DefaultFixture {
    private DefaultFixture() {}

    /** Open-platform account that owns/binds the first four apps (they share unionids). */
    public static final String ACCOUNT = "open-platform-1";
    /** A second open-platform account (its unionids differ from ACCOUNT's). */
    public static final String OTHER_ACCOUNT = "open-platform-2";

    public static final String WEBSITE_APPID = "wx0000000000000001";
    public static final String WEBSITE_SECRET = "websitesecret0000000000000000001";
    public static final String MOBILE_APPID = "wx0000000000000002";
    public static final String MOBILE_SECRET = "mobilesecret00000000000000000002";
    public static final String OFFICIAL_ACCOUNT_APPID = "wx0000000000000003";
    public static final String OFFICIAL_ACCOUNT_SECRET = "oasecret000000000000000000000003";
    public static final String MINI_PROGRAM_APPID = "wx0000000000000004";
    public static final String MINI_PROGRAM_SECRET = "minisecret0000000000000000000004";
    /** Official account bound to NO open-platform account: never a unionid. */
    public static final String UNBOUND_OFFICIAL_ACCOUNT_APPID = "wx0000000000000005";
    public static final String UNBOUND_OFFICIAL_ACCOUNT_SECRET = "unboundoasecret00000000000000005";
    /** Mini program bound to NO open-platform account: never a unionid. */
    public static final String UNBOUND_MINI_PROGRAM_APPID = "wx0000000000000006";
    public static final String UNBOUND_MINI_PROGRAM_SECRET = "unboundminisecret000000000000006";
    /** Website app of OTHER_ACCOUNT. */
    public static final String OTHER_WEBSITE_APPID = "wx0000000000000007";
    public static final String OTHER_WEBSITE_SECRET = "otherwebsitesecret00000000000007";

    /** Callback domains registered on every default app ("host:*" = any port, an emulator extension). */
    public static final List<String> CALLBACK_DOMAINS = List.of("localhost:*", "127.0.0.1:*");

    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    /** Follows the official account: snsapi_userinfo is silent for him. */
    public static final String CHEN = "chen";
    /** Hong Kong phone number (+852). */
    public static final String DORA = "dora";
    /** Always lands in snapshot-page mode on official-account snsapi_userinfo. */
    public static final String SAM = "sam";
    /** High-risk user: jscode2session answers 40226. */
    public static final String EVE = "eve";

    public static EmulatorConfig config() {
        EmulatorConfig c = new EmulatorConfig();
        c.accounts.add(new AccountConfig(ACCOUNT, "Tongxing Dev Open Platform"));
        c.accounts.add(new AccountConfig(OTHER_ACCOUNT, "Another Company Open Platform"));
        c.apps.add(new AppConfig(WEBSITE_APPID, WEBSITE_SECRET, "website", "通行 Website", ACCOUNT, CALLBACK_DOMAINS));
        c.apps.add(new AppConfig(MOBILE_APPID, MOBILE_SECRET, "mobile", "通行 App", ACCOUNT, List.of()));
        c.apps.add(new AppConfig(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, "official_account", "通行服务号", ACCOUNT, CALLBACK_DOMAINS));
        c.apps.add(new AppConfig(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, "mini_program", "通行小程序", ACCOUNT, List.of()));
        c.apps.add(new AppConfig(UNBOUND_OFFICIAL_ACCOUNT_APPID, UNBOUND_OFFICIAL_ACCOUNT_SECRET, "official_account", "Unbound OA", null, CALLBACK_DOMAINS));
        c.apps.add(new AppConfig(UNBOUND_MINI_PROGRAM_APPID, UNBOUND_MINI_PROGRAM_SECRET, "mini_program", "Unbound Mini Program", null, List.of()));
        c.apps.add(new AppConfig(OTHER_WEBSITE_APPID, OTHER_WEBSITE_SECRET, "website", "Other Website", OTHER_ACCOUNT, CALLBACK_DOMAINS));

        c.users.add(user(ALICE, "Alice 爱丽丝", "+86 13800138000", 2, "Guangdong", "Shenzhen", "CN"));
        c.users.add(user(BOB, "Bob", "+86 13800138001", 1, "Beijing", "Beijing", "CN"));
        UserConfig chen = user(CHEN, "陈小明🐼", "+86 13800138002", 1, "Shanghai", "Shanghai", "CN");
        chen.follower = true;
        c.users.add(chen);
        c.users.add(user(DORA, "Dora", "+852 51234567", 2, "", "Hong Kong", "HK"));
        UserConfig sam = user(SAM, "Sam (snapshot)", "+86 13800138004", 0, "", "", "");
        sam.snapshot = true;
        c.users.add(sam);
        UserConfig eve = user(EVE, "Eve (blocked)", "+86 13800138005", 0, "", "", "");
        eve.blocked = true;
        c.users.add(eve);
        return c;
    }

    private static UserConfig user(String id, String nickname, String phone, int sex, String province, String city, String country) {
        UserConfig u = new UserConfig(id, nickname, "https://thirdwx.qlogo.cn/mmopen/vi_32/emulator-" + id + "/132", phone);
        u.sex = sex;
        u.province = province;
        u.city = city;
        u.country = country;
        return u;
    }
}
