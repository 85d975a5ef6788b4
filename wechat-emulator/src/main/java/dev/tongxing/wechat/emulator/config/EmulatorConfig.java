package dev.tongxing.wechat.emulator.config;

import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.quota.QuotaRule;

import java.util.ArrayList;
import java.util.List;

/**
 * The emulator's whole configuration: open-platform accounts, apps, test users, behaviour switches,
 * fault rules and quotas. Read from YAML (see README) or built in code; {@link dev.tongxing.wechat.emulator.DefaultFixture}
 * supplies the defaults. Plain mutable bean so YAML/JSON map onto it directly.
 */
public class EmulatorConfig {

    /** Secret from which openid/unionid are derived (HMAC), so restarts give the same ids. */
    public String idSecret = "tongxing-wechat-emulator";
    /** Seed of every random choice (codes, tokens, rid suffixes, fault draws): same seed, same run. */
    public long seed = 20240601L;
    public Settings settings = new Settings();
    public List<AccountConfig> accounts = new ArrayList<>();
    public List<AppConfig> apps = new ArrayList<>();
    public List<UserConfig> users = new ArrayList<>();
    public List<FaultRule> faults = new ArrayList<>();
    /** Per-app quotas with WeChat's errcodes (45009, 45011, the phone button's errno 1400001). */
    public List<QuotaRule> quotas = new ArrayList<>();

    public static class AccountConfig {
        public String id;
        public String name;

        public AccountConfig() {}

        public AccountConfig(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    public static class AppConfig {
        public String appid;
        public String secret;
        /** website | mobile | official_account | mini_program */
        public String kind;
        public String name;
        /** Open-platform account id; null = bound to none (no unionid). */
        public String account;
        /**
         * Registered callback domains (授权回调域 / 网页授权域名). A bare host matches that exact host; for an
         * official account a port in redirect_uri is then refused (10003), for a website app the port is ignored.
         * Emulator extensions: "host:port" requires that port, "host:*" accepts any port, "*" accepts anything.
         */
        public List<String> callbackDomains = new ArrayList<>();
        /** Official accounts: only verified service accounts may use web authorization (else 10005). */
        public boolean verified = true;
        /** cgi-bin/token and stable_token answer 40243. */
        public boolean secretFrozen = false;
        /** Official accounts: caller IPs allowed on cgi-bin/token (empty = any); others get 40164. */
        public List<String> ipWhitelist = new ArrayList<>();
        /** Mini programs: phone-number codes that may still be minted (null = unlimited); 0 = quota exhausted. */
        public Integer phoneQuota;
        /** Refresh-token lifetime override in days (e.g. 180 for the disputed mobile figure). */
        public Integer refreshTokenDays;
        /** Official accounts: the original id (gh_…) events are addressed to; default derived from the appid. */
        public String originalId;
        /** Official accounts: the developer's message endpoint (服务器地址 URL) events are pushed to; null = none. */
        public String messageUrl;
        /** Official accounts: the token (令牌) the pushes are signed with. */
        public String messageToken;
        /** Official accounts: EncodingAESKey (消息加解密密钥, 43 characters), needed in compatible and safe mode. */
        public String encodingAesKey;
        /** Official accounts: plain (明文模式, default) | compatible (兼容模式) | safe (安全模式). */
        public String messageMode = "plain";

        public AppConfig() {}

        public AppConfig(String appid, String secret, String kind, String name, String account, List<String> callbackDomains) {
            this.appid = appid;
            this.secret = secret;
            this.kind = kind;
            this.name = name;
            this.account = account;
            this.callbackDomains = new ArrayList<>(callbackDomains);
        }
    }

    public static class UserConfig {
        public String id;
        public String nickname;
        /** headimgurl */
        public String avatar;
        /** "+86 13800138000" (country code, space, national number); null = no phone bound. */
        public String phone;
        /** Legacy profile values, only returned when settings.legacyProfile is on. */
        public int sex;
        public String province = "";
        public String city = "";
        public String country = "";
        /** Follows the official accounts: snsapi_userinfo is silent (no confirm step) unless forcePopup. */
        public boolean follower;
        /** Always lands in snapshot-page mode on official-account snsapi_userinfo (is_snapshotuser=1). */
        public boolean snapshot;
        /** High-risk user: jscode2session answers 40226. */
        public boolean blocked;

        public UserConfig() {}

        public UserConfig(String id, String nickname, String avatar, String phone) {
            this.id = id;
            this.nickname = nickname;
            this.avatar = avatar;
            this.phone = phone;
        }
    }

    /** Behaviour switches for the points where the reference lists variants or conflicting sources. */
    public static class Settings {
        /** errcode for an expired code on sns/oauth2/access_token: 42003 (docs) or 40029 (WeChat staff). */
        public int codeExpiredErrcode = 42003;
        /** errcode for a reused code on code exchanges: 40163 (docs) or 40029. */
        public int codeReusedErrcode = 40163;
        /** errcode for a wrong secret on sns/* endpoints: 40125 or 40001. */
        public int invalidSecretErrcode = 40125;
        /** errcode for a wrong secret on cgi-bin/token and stable_token: 40001 or 40125. */
        public int tokenInvalidSecretErrcode = 40001;
        /** errcode for a missing openid on sns/userinfo and sns/auth: 41009 (docs) or 40001 (observed). */
        public int missingOpenidErrcode = 41009;
        /** What "cancel"/"deny" on the phone does: "no-redirect" (stay on WeChat's page) or "state-only" (redirect_uri?state=STATE). */
        public String denyBehaviour = "no-redirect";
        /** errmsg suffix style: rid | hints | hint-rid | plain. */
        public String errmsgStyle = "rid";
        /** Content-Type of API replies (older WeChat replies were text/plain). */
        public String contentType = "application/json; charset=utf-8";
        /** Return real sex/province/city/country (pre-2021-10-20 behaviour). */
        public boolean legacyProfile = false;
        /**
         * Users' headimgurl points at this emulator ({@code <base>/_emulator/avatars/<user>.svg}, an image it serves)
         * instead of WeChat's thirdwx.qlogo.cn, so nothing reaches an outside host (the gateway's dev profile turns it on).
         */
        public boolean selfHostedAvatars = false;
        /** countryCode in phone_info as a number instead of a string. */
        public boolean phoneCountryCodeAsNumber = false;
        /** OA state must match [a-zA-Z0-9]{0,128}. */
        public boolean strictOaState = true;
        public long userAccessTokenSeconds = 7200;
        public long appAccessTokenSeconds = 7200;
        public int refreshTokenDays = 30;
        /** Overlap during which a superseded cgi-bin/token (and a rolled stable token) stays valid. */
        public long appTokenOverlapSeconds = 300;
        public long openPlatformCodeSeconds = 600;
        public long officialAccountCodeSeconds = 300;
        public long miniProgramCodeSeconds = 300;
        public long phoneCodeSeconds = 300;
        /** jscode2session calls per user per minute before 45011. */
        public int jscode2sessionPerUserPerMinute = 100;
        /** stable_token force_refresh calls per day before 45009, and minimum seconds between two. */
        public int stableTokenForceRefreshPerDay = 20;
        public long stableTokenForceRefreshMinIntervalSeconds = 30;
        /** If set, the browser pages skip the user picker and act as this user confirming at once. */
        public String autoApproveUser;
        /**
         * The double-callback quirk (reference §14.1/§13.2): "off", "same-code" (the callback is hit twice with the
         * same code) or "new-code" (twice, with two different codes and the same state). Browser pages only.
         */
        public String doubleCallback = "off";
        /** Event pushes to an official account's message endpoint: tries per event (WeChat: three)... */
        public int messagePushAttempts = 3;
        /** ...and how long each try waits for an answer (WeChat: 5 s). */
        public long messagePushTimeoutMillis = 5000;
        /** Entries kept in the request log. */
        public int requestLogLimit = 10_000;
    }
}
