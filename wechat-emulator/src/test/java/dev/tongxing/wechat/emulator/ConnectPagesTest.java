package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** §2 website QR page and §4 official-account authorization, driven over HTTP (the browser test clicks the same pages). */
class ConnectPagesTest extends EmulatorTestBase {
    private static final Pattern SESSION = Pattern.compile("data-session=\"([A-Za-z0-9]+)\"");

    private static Map<String, String> qrParams(String redirect, String state) {
        return Map.of("appid", WEBSITE_APPID, "redirect_uri", redirect, "response_type", "code", "scope", "snsapi_login", "state", state);
    }

    private static String session(Http.Res page) {
        Matcher m = SESSION.matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        return m.group(1);
    }

    @Test
    void qrLoginRedirectsWithCodeAndStateBeforeTheFragment() {
        Http.Res page = http.get("/connect/qrconnect", qrParams("http://localhost:8080/login/wechat/callback?x=1#/spa", "st-Ä 1"));
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).contains("data-testid=\"qr-page\"", "data-user=\"alice\"", "data-action=\"scan\"", "/connect/qrcode/");
        String sid = session(page);
        Http.Res qr = http.get("/connect/qrcode/" + sid);
        assertThat(qr.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(qr.body()).startsWith("<svg");

        Http.Res scanned = http.postForm("/connect/session/" + sid + "/scan", Map.of("user", ALICE));
        assertThat(scanned.status()).isEqualTo(303);
        Http.Res phone = http.get("/connect/session/" + sid);
        assertThat(phone.body()).contains("data-testid=\"phone\"", "data-action=\"confirm\"", "data-action=\"cancel\"", "Alice");

        Http.Res done = http.postForm("/connect/session/" + sid + "/confirm", Map.of());
        assertThat(done.status()).isEqualTo(302);
        String location = done.header("Location");
        assertThat(location).startsWith("http://localhost:8080/login/wechat/callback?x=1&code=").endsWith("#/spa");
        Map<String, String> q = Http.queryOf(location.substring(0, location.indexOf('#')));
        assertThat(q.get("state")).isEqualTo("st-Ä 1");
        Map<String, Object> t = exchange(WEBSITE_APPID, WEBSITE_SECRET, q.get("code")).json();
        assertThat(t.get("openid")).isEqualTo(control().openid(WEBSITE_APPID, ALICE));
        // the session is gone once used
        assertThat(http.postForm("/connect/session/" + sid + "/confirm", Map.of()).body()).contains("data-testid=\"page-error\"");
    }

    @Test
    void qrCancelStaysOnThePageByDefaultOrRedirectsWithOnlyState() {
        String sid = session(http.get("/connect/qrconnect", qrParams("http://localhost/cb", "abc")));
        http.postForm("/connect/session/" + sid + "/scan", Map.of("user", BOB));
        Http.Res cancelled = http.postForm("/connect/session/" + sid + "/cancel", Map.of());
        assertThat(cancelled.status()).isEqualTo(303);
        assertThat(http.get("/connect/session/" + sid).body()).contains("data-testid=\"cancelled-notice\"", "data-testid=\"user-picker\"");

        control().settings().denyBehaviour = "state-only";
        String sid2 = session(http.get("/connect/qrconnect", qrParams("http://localhost/cb", "abc")));
        http.postForm("/connect/session/" + sid2 + "/scan", Map.of("user", BOB));
        Http.Res denied = http.postForm("/connect/session/" + sid2 + "/cancel", Map.of());
        assertThat(denied.status()).isEqualTo(302);
        assertThat(denied.header("Location")).isEqualTo("http://localhost/cb?state=abc");
    }

    @Test
    void qrPageErrors() {
        assertThat(http.get("/connect/qrconnect", Map.of("redirect_uri", "http://localhost/cb", "response_type", "code", "scope", "snsapi_login")).body())
                .contains("data-testid=\"page-error\"", "该链接无法访问");
        Http.Res wrongScope = http.get("/connect/qrconnect", Map.of("appid", WEBSITE_APPID, "redirect_uri", "http://localhost/cb", "response_type", "code", "scope", "snsapi_userinfo"));
        assertThat(wrongScope.body()).contains("该链接无法访问", "data-error-code=\"scope\"");
        Http.Res wrongDomain = http.get("/connect/qrconnect", qrParams("https://evil.example.com/cb", "s"));
        assertThat(wrongDomain.body()).contains("该链接无法访问", "data-error-code=\"redirect_uri\"");
        Http.Res subdomain = http.get("/connect/qrconnect", qrParams("http://a.localhost/cb", "s"));
        assertThat(subdomain.body()).contains("data-error-code=\"redirect_uri\"");
        Http.Res oaApp = http.get("/connect/qrconnect", Map.of("appid", OFFICIAL_ACCOUNT_APPID, "redirect_uri", "http://localhost/cb", "response_type", "code", "scope", "snsapi_login"));
        assertThat(oaApp.body()).contains("data-error-code=\"scope\"");
        assertThat(http.get("/connect/qrconnect", Map.of("appid", WEBSITE_APPID, "redirect_uri", "http://localhost/cb", "response_type", "token", "scope", "snsapi_login")).body())
                .contains("data-testid=\"page-error\"");
    }

    @Test
    void doubleCallbackWithTwoCodesAndTheSameState() {
        control().settings().doubleCallback = "new-code";
        String sid = session(http.get("/connect/qrconnect", qrParams("http://localhost/cb", "dup")));
        http.postForm("/connect/session/" + sid + "/scan", Map.of("user", ALICE));
        Http.Res page = http.postForm("/connect/session/" + sid + "/confirm", Map.of());
        assertThat(page.status()).isEqualTo(200);
        Matcher m = Pattern.compile("data-first=\"([^\"]+)\" data-second=\"([^\"]+)\"").matcher(page.body());
        assertThat(m.find()).as(page.body()).isTrue();
        Map<String, String> first = Http.queryOf(m.group(1).replace("&amp;", "&"));
        Map<String, String> second = Http.queryOf(m.group(2).replace("&amp;", "&"));
        assertThat(first.get("state")).isEqualTo("dup").isEqualTo(second.get("state"));
        assertThat(first.get("code")).isNotEqualTo(second.get("code"));
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, first.get("code")).errcode()).isNull();
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, second.get("code")).errcode()).isNull();
    }

    @Test
    void autoApproveSkipsThePage() {
        control().settings().autoApproveUser = BOB;
        Http.Res r = http.get("/connect/qrconnect", qrParams("http://127.0.0.1:9999/cb", "s1"));
        assertThat(r.status()).isEqualTo(302);
        Map<String, String> q = Http.queryOf(r.header("Location"));
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, q.get("code")).json().get("openid")).isEqualTo(control().openid(WEBSITE_APPID, BOB));
    }

    // ------------------------------------------------------------------ official account

    private static Map<String, String> oaParams(String appid, String scope, String redirect, String state) {
        return Map.of("appid", appid, "redirect_uri", redirect, "response_type", "code", "scope", scope, "state", state);
    }

    private Map<String, String> openOa(String appid, String scope, String user, boolean snapshot) {
        String sid = session(http.get("/connect/oauth2/authorize", oaParams(appid, scope, "http://localhost:8080/cb", "xyz")));
        Http.Res r = http.postForm("/connect/session/" + sid + "/scan", snapshot ? Map.of("user", user, "snapshot", "true") : Map.of("user", user));
        if (r.status() == 303) {
            assertThat(http.get("/connect/session/" + sid).body()).contains("data-testid=\"phone\"");
            r = http.postForm("/connect/session/" + sid + "/confirm", Map.of());
        }
        assertThat(r.status()).isEqualTo(302);
        return Http.queryOf(r.header("Location"));
    }

    @Test
    void snsapiBaseIsSilentAndHasNoUnionid() {
        String sid = session(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_base", "http://localhost:8080/cb", "xyz")));
        Http.Res r = http.postForm("/connect/session/" + sid + "/scan", Map.of("user", ALICE));
        assertThat(r.status()).isEqualTo(302); // no confirm step
        Map<String, String> q = Http.queryOf(r.header("Location"));
        assertThat(q.get("state")).isEqualTo("xyz");
        Map<String, Object> t = exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, q.get("code")).json();
        assertThat(t.get("scope")).isEqualTo("snsapi_base");
        assertThat(t).doesNotContainKey("unionid").doesNotContainKey("is_snapshotuser");
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).errcode()).isEqualTo(48001);
    }

    @Test
    void snsapiUserinfoAsksForConsentAndReturnsUnionidWhenBound() {
        Map<String, String> q = openOa(OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", ALICE, false);
        Map<String, Object> t = exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, q.get("code")).json();
        assertThat(t.get("unionid")).isEqualTo(control().unionid(WEBSITE_APPID, ALICE));
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json().get("nickname")).isEqualTo("Alice 爱丽丝");
        // unbound official account: openid only
        Map<String, String> q2 = openOa(UNBOUND_OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", ALICE, false);
        Map<String, Object> t2 = exchange(UNBOUND_OFFICIAL_ACCOUNT_APPID, UNBOUND_OFFICIAL_ACCOUNT_SECRET, q2.get("code")).json();
        assertThat(t2).doesNotContainKey("unionid");
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t2.get("access_token"), "openid", t2.get("openid"))).json()).doesNotContainKey("unionid");
    }

    @Test
    void followerIsSilentUnlessForcePopup() {
        String sid = session(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", "http://localhost/cb", "s")));
        assertThat(http.postForm("/connect/session/" + sid + "/scan", Map.of("user", CHEN)).status()).isEqualTo(302);
        Map<String, String> p = new java.util.HashMap<>(oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", "http://localhost/cb", "s"));
        p.put("forcePopup", "true");
        String sid2 = session(http.get("/connect/oauth2/authorize", p));
        assertThat(http.postForm("/connect/session/" + sid2 + "/scan", Map.of("user", CHEN)).status()).isEqualTo(303);
    }

    @Test
    void snapshotUsersGetVirtualIdsAndTheFlagOnlyInTheTokenReply() {
        Map<String, String> q = openOa(OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", BOB, true);
        Map<String, Object> t = exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, q.get("code")).json();
        assertThat(t.get("is_snapshotuser")).isEqualTo(1);
        assertThat(t.get("openid")).isNotEqualTo(control().openid(OFFICIAL_ACCOUNT_APPID, BOB));
        assertThat(t.get("unionid")).isNotNull().isNotEqualTo(control().unionid(OFFICIAL_ACCOUNT_APPID, BOB));
        Map<String, Object> u = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json();
        assertThat(u).doesNotContainKey("is_snapshotuser");
        assertThat(u.get("nickname")).isEqualTo("微信用户");
        // a user flagged snapshot lands there without the toggle
        Map<String, Object> sam = exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, openOa(OFFICIAL_ACCOUNT_APPID, "snsapi_userinfo", SAM, false).get("code")).json();
        assertThat(sam.get("is_snapshotuser")).isEqualTo(1);
        // and the programmatic variant
        Map<String, Object> prog = exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, control().snapshotAuthorizationCode(OFFICIAL_ACCOUNT_APPID, ALICE)).json();
        assertThat(prog.get("is_snapshotuser")).isEqualTo(1);
    }

    @Test
    void officialAccountPageErrors() {
        Http.Res noAppid = http.get("/connect/oauth2/authorize", Map.of("redirect_uri", "http://localhost/cb", "response_type", "code", "scope", "snsapi_base"));
        assertThat(noAppid.body()).contains("data-error-code=\"10012\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(WEBSITE_APPID, "snsapi_base", "http://localhost/cb", "s")).body()).contains("data-error-code=\"10005\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_login", "http://localhost/cb", "s")).body()).contains("data-error-code=\"10005\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_base", "https://evil.example.com/cb", "s")).body()).contains("data-error-code=\"10003\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_base", "http://localhost/cb", "a-b")).body()).contains("data-error-code=\"state\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_base", "http://localhost/cb", "a".repeat(129))).body()).contains("data-error-code=\"state\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams(OFFICIAL_ACCOUNT_APPID, "snsapi_base", "http://localhost/cb", "a".repeat(128))).body()).contains("data-testid=\"oa-page\"");

        // a bare registered domain: exact host, no port (10003), no sub-domain
        EmulatorConfig.AppConfig strict = new EmulatorConfig.AppConfig("wx00000000000000s1", "s1secret", "official_account", "Strict OA", null, List.of("www.example.com"));
        control().addApp(strict);
        assertThat(http.get("/connect/oauth2/authorize", oaParams("wx00000000000000s1", "snsapi_base", "https://www.example.com/any/path", "s")).body()).contains("data-testid=\"oa-page\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams("wx00000000000000s1", "snsapi_base", "https://www.example.com:8443/cb", "s")).body()).contains("data-error-code=\"10003\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams("wx00000000000000s1", "snsapi_base", "https://pay.example.com/cb", "s")).body()).contains("data-error-code=\"10003\"");
        assertThat(http.get("/connect/oauth2/authorize", oaParams("wx00000000000000s1", "snsapi_base", "https://example.com/cb", "s")).body()).contains("data-error-code=\"10003\"");
        // an unverified account has no web-authorization rights
        EmulatorConfig.AppConfig unverified = new EmulatorConfig.AppConfig("wx00000000000000u1", "u1secret", "official_account", "Unverified", null, List.of("localhost"));
        unverified.verified = false;
        control().addApp(unverified);
        assertThat(http.get("/connect/oauth2/authorize", oaParams("wx00000000000000u1", "snsapi_base", "http://localhost/cb", "s")).body()).contains("data-error-code=\"10005\"");
    }
}
