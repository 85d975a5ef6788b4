package dev.tongxing.wechat.emulator;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** §5 of the reference: /sns/oauth2/access_token, refresh_token, /sns/auth, /sns/userinfo, and §7 error codes. */
class SnsProtocolTest extends EmulatorTestBase {

    @Test
    void codeExchangeSucceedsWithWeChatsFieldsAndNoErrcode() {
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        assertThat(code).hasSize(32);
        Http.Res r = exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        Map<String, Object> t = r.json();
        assertThat(t).containsOnlyKeys("access_token", "expires_in", "refresh_token", "openid", "scope", "unionid");
        assertThat(t.get("expires_in")).isEqualTo(7200);
        assertThat(t.get("scope")).isEqualTo("snsapi_login");
        assertThat(t.get("openid")).isEqualTo(control().openid(WEBSITE_APPID, ALICE));
        assertThat(t.get("unionid")).isEqualTo(control().unionid(WEBSITE_APPID, ALICE));
    }

    @Test
    void codeWorksOnceThen40163AndIsBoundToItsApp() {
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        // another app's credentials: invalid code (and the code stays usable for its own app)
        assertThat(exchange(OTHER_WEBSITE_APPID, OTHER_WEBSITE_SECRET, code).errcode()).isEqualTo(40029);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isNull();
        Http.Res again = exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.errcode()).isEqualTo(40163);
        assertThat((String) again.json().get("errmsg")).matches("code been used, rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}");
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "nosuchcode").errcode()).isEqualTo(40029);
    }

    @Test
    void openPlatformCodesLiveTenMinutesOfficialAccountCodesFive() {
        String web = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        String web2 = control().authorizationCode(WEBSITE_APPID, BOB, null);
        String mobile = control().mobileCode(MOBILE_APPID, ALICE);
        String oa = control().authorizationCode(OFFICIAL_ACCOUNT_APPID, ALICE, "snsapi_base");
        String oa2 = control().authorizationCode(OFFICIAL_ACCOUNT_APPID, BOB, "snsapi_base");
        advance(299);
        assertThat(exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, oa2).errcode()).isNull();
        advance(1);
        assertThat(exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, oa).errcode()).isEqualTo(42003);
        advance(299);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, web2).errcode()).isNull();
        advance(1);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, web).errcode()).isEqualTo(42003);
        assertThat(exchange(MOBILE_APPID, MOBILE_SECRET, mobile).errcode()).isEqualTo(42003);
    }

    @Test
    void expiredAndReusedErrcodesAreSwitchable() {
        control().settings().codeExpiredErrcode = 40029;
        control().settings().codeReusedErrcode = 40029;
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        String old = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isEqualTo(40029);
        advance(600);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, old).errcode()).isEqualTo(40029);
    }

    @Test
    void parametersAndCredentialsAreChecked() {
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        Map<String, String> ok = Map.of("appid", WEBSITE_APPID, "secret", WEBSITE_SECRET, "code", code, "grant_type", "authorization_code");
        assertThat(callWithout(ok, "appid")).isEqualTo(41002);
        assertThat(callWithout(ok, "secret")).isEqualTo(41004);
        assertThat(callWithout(ok, "code")).isEqualTo(41008);
        assertThat(callWithout(ok, "grant_type")).isEqualTo(40002);
        assertThat(callWith(ok, "grant_type", "client_credential")).isEqualTo(40002);
        assertThat(callWith(ok, "appid", "wx9999999999999999")).isEqualTo(40013);
        assertThat(callWith(ok, "secret", "wrong")).isEqualTo(40125);
        // client_id instead of appid is not WeChat
        Map<String, String> oauthStyle = new HashMap<>(ok);
        oauthStyle.remove("appid");
        oauthStyle.put("client_id", WEBSITE_APPID);
        assertThat(http.get("/sns/oauth2/access_token", oauthStyle).errcode()).isEqualTo(41002);
        // none of the failures consumed the code
        assertThat(http.get("/sns/oauth2/access_token", ok).errcode()).isNull();
        // POST is not how WeChat is called
        assertThat(http.postForm("/sns/oauth2/access_token", ok).errcode()).isEqualTo(43001);
    }

    private int callWithout(Map<String, String> base, String key) {
        Map<String, String> p = new HashMap<>(base);
        p.remove(key);
        return http.get("/sns/oauth2/access_token", p).errcode();
    }

    private int callWith(Map<String, String> base, String key, String value) {
        Map<String, String> p = new HashMap<>(base);
        p.put(key, value);
        return http.get("/sns/oauth2/access_token", p).errcode();
    }

    @Test
    void refreshRenewsALiveTokenAndReplacesAnExpiredOneButNeverExtendsItself() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        String access = (String) t.get("access_token");
        String refresh = (String) t.get("refresh_token");
        Map<String, String> p = Map.of("appid", WEBSITE_APPID, "grant_type", "refresh_token", "refresh_token", refresh);
        advance(7000);
        Map<String, Object> r1 = http.get("/sns/oauth2/refresh_token", p).json();
        assertThat(r1).containsOnlyKeys("access_token", "expires_in", "refresh_token", "openid", "scope");
        assertThat(r1.get("access_token")).isEqualTo(access); // still valid: same token, expiry pushed out
        assertThat(r1.get("refresh_token")).isEqualTo(refresh);
        advance(7000); // 14000 s after issue, but renewed at 7000 → still valid
        assertThat(auth(access, (String) t.get("openid")).errcode()).isEqualTo(0);
        advance(300);
        assertThat(auth(access, (String) t.get("openid")).errcode()).isEqualTo(42001);
        Map<String, Object> r2 = http.get("/sns/oauth2/refresh_token", p).json();
        assertThat(r2.get("access_token")).isNotEqualTo(access);
        assertThat(auth((String) r2.get("access_token"), (String) t.get("openid")).errcode()).isEqualTo(0);
        assertThat(auth(access, (String) t.get("openid")).errcode()).isEqualTo(40001);
        // 30 days from the original grant, regardless of use
        control().advanceClock(java.time.Duration.ofDays(30).minusSeconds(14300 + 1));
        assertThat(http.get("/sns/oauth2/refresh_token", p).errcode()).isNull();
        advance(1);
        assertThat(http.get("/sns/oauth2/refresh_token", p).errcode()).isEqualTo(42002);
    }

    @Test
    void refreshErrors() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        String refresh = (String) t.get("refresh_token");
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", WEBSITE_APPID, "grant_type", "refresh_token")).errcode()).isEqualTo(41003);
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("grant_type", "refresh_token", "refresh_token", refresh)).errcode()).isEqualTo(41002);
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", WEBSITE_APPID, "grant_type", "authorization_code", "refresh_token", refresh)).errcode()).isEqualTo(40002);
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", WEBSITE_APPID, "grant_type", "refresh_token", "refresh_token", "bogus")).errcode()).isEqualTo(40030);
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", OTHER_WEBSITE_APPID, "grant_type", "refresh_token", "refresh_token", refresh)).errcode()).isEqualTo(40030);
        // no secret is needed for refresh
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", WEBSITE_APPID, "grant_type", "refresh_token", "refresh_token", refresh)).errcode()).isNull();
    }

    @Test
    void mobileRefreshTokenLifetimeIsConfigurablePerApp() {
        dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig app = new dev.tongxing.wechat.emulator.config.EmulatorConfig.AppConfig(
                "wx00000000000000m2", "m2secret", "mobile", "Mobile 180", ACCOUNT, java.util.List.of());
        app.refreshTokenDays = 180;
        control().addApp(app);
        String code = control().mobileCode("wx00000000000000m2", ALICE);
        Map<String, Object> t = exchange("wx00000000000000m2", "m2secret", code).json();
        control().advanceClock(java.time.Duration.ofDays(179));
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", "wx00000000000000m2", "grant_type", "refresh_token",
                "refresh_token", t.get("refresh_token"))).errcode()).isNull();
    }

    private Http.Res auth(String access, String openid) {
        return http.get("/sns/auth", Map.of("access_token", access, "openid", openid));
    }

    @Test
    void snsAuthAnswersOkOr40003() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        Http.Res ok = auth((String) t.get("access_token"), (String) t.get("openid"));
        assertThat(ok.json()).containsEntry("errcode", 0).containsEntry("errmsg", "ok");
        assertThat(auth((String) t.get("access_token"), control().openid(WEBSITE_APPID, BOB)).errcode()).isEqualTo(40003);
        assertThat(auth("bogus", (String) t.get("openid")).errcode()).isEqualTo(40001);
        assertThat(http.get("/sns/auth", Map.of("openid", t.get("openid"))).errcode()).isEqualTo(41001);
        assertThat(http.get("/sns/auth", Map.of("access_token", t.get("access_token"))).errcode()).isEqualTo(41009);
        advance(7200);
        assertThat(auth((String) t.get("access_token"), (String) t.get("openid")).errcode()).isEqualTo(42001);
    }

    @Test
    void userinfoReturnsTheCurrentPrivacyModeProfile() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        Map<String, Object> u = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"), "lang", "zh_CN")).json();
        assertThat(u).doesNotContainKey("errcode").doesNotContainKey("is_snapshotuser");
        assertThat(u.get("nickname")).isEqualTo("Alice 爱丽丝");
        assertThat(u.get("sex")).isEqualTo(0);
        assertThat(u.get("province")).isEqualTo("");
        assertThat(u.get("city")).isEqualTo("");
        assertThat(u.get("country")).isEqualTo("");
        assertThat((String) u.get("headimgurl")).startsWith("https://thirdwx.qlogo.cn/");
        assertThat(u.get("privilege")).isEqualTo(java.util.List.of());
        assertThat(u.get("unionid")).isEqualTo(t.get("unionid"));
        assertThat(u.get("openid")).isEqualTo(t.get("openid"));

        control().settings().legacyProfile = true;
        Map<String, Object> legacy = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json();
        assertThat(legacy.get("sex")).isEqualTo(2);
        assertThat(legacy.get("city")).isEqualTo("Shenzhen");
    }

    @Test
    void userinfoErrors() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"))).errcode()).isEqualTo(41009);
        control().settings().missingOpenidErrcode = 40001;
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"))).errcode()).isEqualTo(40001);
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", "oWrong")).errcode()).isEqualTo(40003);
        assertThat(http.get("/sns/userinfo", Map.of("access_token", "bogus", "openid", t.get("openid"))).errcode()).isEqualTo(40001);
        // password change voids user tokens
        control().changePassword(ALICE);
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).errcode()).isEqualTo(42007);
        assertThat(http.get("/sns/oauth2/refresh_token", Map.of("appid", WEBSITE_APPID, "grant_type", "refresh_token",
                "refresh_token", t.get("refresh_token"))).errcode()).isEqualTo(42007);
    }

    @Test
    void mobileAppLoginSharesTheUnionidOfTheWebsiteApp() {
        String code = control().mobileCode(MOBILE_APPID, ALICE);
        Map<String, Object> t = exchange(MOBILE_APPID, MOBILE_SECRET, code).json();
        assertThat(t.get("scope")).isEqualTo("snsapi_userinfo");
        Map<String, Object> web = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        assertThat(t.get("unionid")).isEqualTo(web.get("unionid"));
        assertThat(t.get("openid")).isNotEqualTo(web.get("openid"));
        Map<String, Object> u = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json();
        assertThat(u.get("nickname")).isEqualTo("Alice 爱丽丝");
    }

    @Test
    void wrongPathCaseAnswers40066AndContentTypeIsSwitchable() {
        Http.Res r = http.get("/sns/jsCode2Session?appid=x");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.errcode()).isEqualTo(40066);
        control().settings().contentType = "text/plain";
        Http.Res plain = exchange(WEBSITE_APPID, WEBSITE_SECRET, "x");
        assertThat(plain.header("Content-Type")).startsWith("text/plain");
        assertThat(plain.errcode()).isEqualTo(40029);
        control().settings().errmsgStyle = "hints";
        assertThat((String) exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").json().get("errmsg")).matches("invalid code, hints: \\[ req_id: \\w{8} \\]");
    }
}
