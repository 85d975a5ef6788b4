package dev.tongxing.wechat.emulator;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** The HTTP control API under /_emulator and the request log. */
class ControlApiTest extends EmulatorTestBase {

    @Test
    void requestLogShowsWhatTheClientSentAndGotWithTheSecretMasked() {
        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        http.postJson("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET));

        List<Object> sent = http.get("/_emulator/requests", Map.of("path", "/sns/oauth2/access_token", "param.code", code)).jsonList();
        assertThat(sent).as("the connector sent the same code twice").hasSize(2);
        @SuppressWarnings("unchecked") Map<String, Object> first = (Map<String, Object>) sent.get(0);
        assertThat(first.get("method")).isEqualTo("GET");
        assertThat(first.get("appid")).isEqualTo(WEBSITE_APPID);
        assertThat(first.get("params").toString()).contains("secret=[***]").doesNotContain(WEBSITE_SECRET);
        assertThat((String) first.get("response")).contains("access_token");
        @SuppressWarnings("unchecked") Map<String, Object> second = (Map<String, Object>) sent.get(1);
        assertThat(second.get("errcode")).isEqualTo(40163);

        List<Object> stable = http.get("/_emulator/requests", Map.of("path", "/cgi-bin/stable_token")).jsonList();
        @SuppressWarnings("unchecked") Map<String, Object> s = (Map<String, Object>) stable.get(0);
        assertThat((String) s.get("body")).contains("\"secret\":\"***\"").doesNotContain(MINI_PROGRAM_SECRET);
        assertThat(s.get("appid")).isEqualTo(MINI_PROGRAM_APPID);

        assertThat(http.get("/_emulator/requests", Map.of("errcode", "40163")).jsonList()).hasSize(1);
        // control calls themselves are not logged
        assertThat(control().requests(e -> e.path().startsWith("/_emulator"))).isEmpty();
        assertThat(http.send("DELETE", "/_emulator/requests", null).status()).isEqualTo(200);
        assertThat(control().requests()).isEmpty();
    }

    @Test
    void mintCodesOverTheControlApi() {
        Map<String, Object> sdk = http.postJson("/_emulator/mobile/auth", Map.of("appid", MOBILE_APPID, "user", BOB, "state", "s1")).json();
        assertThat(sdk).containsEntry("errCode", 0).containsEntry("state", "s1");
        assertThat(exchange(MOBILE_APPID, MOBILE_SECRET, (String) sdk.get("code")).json().get("openid")).isEqualTo(control().openid(MOBILE_APPID, BOB));
        assertThat(http.postJson("/_emulator/mobile/auth", Map.of("appid", MOBILE_APPID, "user", BOB, "action", "deny")).json()).containsEntry("errCode", -4).doesNotContainKey("code");
        assertThat(http.postJson("/_emulator/mobile/auth", Map.of("appid", WEBSITE_APPID, "user", BOB)).status()).isEqualTo(400);

        String js = (String) http.postJson("/_emulator/miniprogram/login", Map.of("appid", MINI_PROGRAM_APPID, "user", ALICE)).json().get("code");
        assertThat(http.get("/sns/jscode2session", Map.of("appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET, "js_code", js,
                "grant_type", "authorization_code")).json()).containsKey("session_key");
        assertThat(http.postJson("/_emulator/miniprogram/phone-code", Map.of("appid", MINI_PROGRAM_APPID, "user", ALICE)).json().get("code")).asString().hasSize(64);

        String oa = (String) http.postJson("/_emulator/codes", Map.of("appid", OFFICIAL_ACCOUNT_APPID, "user", ALICE, "scope", "snsapi_userinfo", "snapshot", true)).json().get("code");
        assertThat(exchange(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET, oa).json()).containsEntry("is_snapshotuser", 1);

        Map<String, Object> ids = http.get("/_emulator/ids", Map.of("appid", UNBOUND_MINI_PROGRAM_APPID, "user", ALICE)).json();
        assertThat(ids.get("openid")).isEqualTo(control().openid(UNBOUND_MINI_PROGRAM_APPID, ALICE));
        assertThat(ids).containsEntry("unionid", null);
        assertThat(http.postJson("/_emulator/codes", Map.of("appid", WEBSITE_APPID, "user", "nobody")).status()).isEqualTo(400);
    }

    @Test
    void faultsClockSettingsAndResetOverHttp() {
        Map<String, Object> added = http.postJson("/_emulator/faults", Map.of("type", "errcode", "endpoint", "/sns/auth", "errcode", 50002, "rate", 1.0)).json();
        @SuppressWarnings("unchecked") String id = ((List<String>) added.get("ids")).get(0);
        assertThat(http.get("/sns/auth?access_token=a&openid=b").errcode()).isEqualTo(50002);
        assertThat(http.get("/_emulator/faults").jsonList()).hasSize(1);
        assertThat(http.send("DELETE", "/_emulator/faults/" + id, null).status()).isEqualTo(200);
        assertThat(http.get("/sns/auth?access_token=a&openid=b").errcode()).isEqualTo(40001);
        assertThat(http.postJson("/_emulator/faults", Map.of("type", "nonsense")).status()).isEqualTo(400);

        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        Map<String, Object> now = http.postJson("/_emulator/clock/advance", Map.of("seconds", 601)).json();
        assertThat(java.time.Instant.parse((String) now.get("now"))).isAfter(java.time.Instant.now().plusSeconds(600));
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, code).errcode()).isEqualTo(42003);
        assertThat(http.send("PUT", "/_emulator/clock", "{\"instant\":\"2031-05-01T00:00:00Z\"}").json().get("now")).asString().startsWith("2031-05-01T00:00");

        Http.Res patched = http.send("PATCH", "/_emulator/settings", "{\"denyBehaviour\":\"state-only\",\"errmsgStyle\":\"plain\"}");
        assertThat(patched.json()).containsEntry("denyBehaviour", "state-only");
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").json().get("errmsg")).isEqualTo("invalid code");

        Map<String, Object> config = http.get("/_emulator/config").json();
        assertThat(config.get("apps").toString()).contains(WEBSITE_APPID, "official_account");

        assertThat(http.postJson("/_emulator/reset", Map.of()).status()).isEqualTo(200);
        assertThat(control().settings().denyBehaviour).isEqualTo("no-redirect");
        assertThat(control().now()).isBefore(java.time.Instant.parse("2031-01-01T00:00:00Z"));
        assertThat(control().requests()).isEmpty();
    }

    @Test
    void sameSeedGivesTheSameCodesAndTokens() {
        control().reseed(99);
        String a = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        control().reseed(99);
        String b = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        assertThat(b).isEqualTo(a);
        assertThat(http.postJson("/_emulator/seed", Map.of("seed", 99)).status()).isEqualTo(200);
        assertThat(control().authorizationCode(WEBSITE_APPID, ALICE, null)).isEqualTo(a);
    }
}
