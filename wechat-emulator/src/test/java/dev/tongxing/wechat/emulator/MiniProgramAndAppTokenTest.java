package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.Ids;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** §6 of the reference: jscode2session, cgi-bin/token, stable_token, getuserphonenumber, checksession. */
class MiniProgramAndAppTokenTest extends EmulatorTestBase {

    private Http.Res jscode(String appid, String secret, String code) {
        return http.get("/sns/jscode2session", Map.of("appid", appid, "secret", secret, "js_code", code, "grant_type", "authorization_code"));
    }

    @Test
    void jscode2sessionReturnsSessionWithoutErrcodeAndUnionidOnlyWhenBound() {
        Map<String, Object> s = jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE)).json();
        assertThat(s).containsOnlyKeys("session_key", "openid", "unionid");
        assertThat(Base64.getDecoder().decode((String) s.get("session_key"))).hasSize(16);
        assertThat(s.get("openid")).isEqualTo(control().openid(MINI_PROGRAM_APPID, ALICE));
        assertThat(s.get("unionid")).isEqualTo(control().unionid(WEBSITE_APPID, ALICE));
        Map<String, Object> unbound = jscode(UNBOUND_MINI_PROGRAM_APPID, UNBOUND_MINI_PROGRAM_SECRET,
                control().miniProgramLoginCode(UNBOUND_MINI_PROGRAM_APPID, ALICE)).json();
        assertThat(unbound).containsOnlyKeys("session_key", "openid");
    }

    @Test
    void jscode2sessionErrors() {
        String code = control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE);
        assertThat(http.get("/sns/jscode2session", Map.of("appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET, "code", code, "grant_type", "authorization_code")).errcode())
                .as("the parameter is js_code, not code").isEqualTo(41008);
        assertThat(jscode(MINI_PROGRAM_APPID, "wrong", code).errcode()).isEqualTo(40125);
        assertThat(jscode("wx9999999999999999", MINI_PROGRAM_SECRET, code).errcode()).isEqualTo(40013);
        assertThat(jscode(UNBOUND_MINI_PROGRAM_APPID, UNBOUND_MINI_PROGRAM_SECRET, code).errcode()).isEqualTo(40029);
        // a website code is not a wx.login code
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().authorizationCode(WEBSITE_APPID, ALICE, null)).errcode()).isEqualTo(40029);
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, code).errcode()).isNull();
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, code).errcode()).isEqualTo(40163);
        String late = control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE);
        advance(300);
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, late).errcode()).isEqualTo(40029);
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, EVE)).errcode()).isEqualTo(40226);
        assertThatThrownBy(() -> control().miniProgramLoginCode(WEBSITE_APPID, ALICE)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void jscode2sessionAllowsHundredCallsPerUserPerMinute() {
        control().setClock(java.time.Instant.parse("2030-01-01T00:00:00Z"));
        for (int i = 0; i < 100; i++) {
            assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE)).errcode()).isNull();
        }
        String code = control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE);
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, code).errcode()).isEqualTo(45011);
        // another user is not limited; next minute the user may again
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, BOB)).errcode()).isNull();
        advance(60);
        assertThat(jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, code).errcode()).isNull();
    }

    @Test
    void newLoginRotatesTheSessionKeyAndChecksessionSeesIt() {
        String token = (String) appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).get("access_token");
        String key1 = (String) jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE)).json().get("session_key");
        String openid = control().openid(MINI_PROGRAM_APPID, ALICE);
        assertThat(checksession(token, openid, key1).json()).containsEntry("errcode", 0);
        String key2 = (String) jscode(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE)).json().get("session_key");
        assertThat(key2).isNotEqualTo(key1);
        assertThat(checksession(token, openid, key1).errcode()).isEqualTo(87009);
        assertThat(checksession(token, openid, key2).errcode()).isEqualTo(0);
    }

    private Http.Res checksession(String token, String openid, String sessionKey) {
        String sig = Ids.hex(Ids.hmac(Base64.getDecoder().decode(sessionKey), ""));
        return http.get("/wxa/checksession", Map.of("access_token", token, "openid", openid, "signature", sig, "sig_method", "hmac_sha256"));
    }

    private Map<String, Object> appToken(String appid, String secret) {
        Map<String, Object> r = http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", appid, "secret", secret)).json();
        assertThat(r).as(r.toString()).containsKey("access_token");
        return r;
    }

    private Http.Res stable(String appid, String secret, boolean force) {
        return http.postJson("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "appid", appid, "secret", secret, "force_refresh", force));
    }

    private Http.Res phone(String token, Object body) {
        return http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, body);
    }

    @Test
    void cgiTokenSupersedesThePreviousTokenAfterFiveMinutes() {
        Map<String, Object> first = appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET);
        assertThat(first).containsOnlyKeys("access_token", "expires_in");
        assertThat(first.get("expires_in")).isEqualTo(7200);
        String code = control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE);
        Map<String, Object> second = appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET);
        assertThat(second.get("access_token")).isNotEqualTo(first.get("access_token"));
        advance(299);
        String code2 = control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE);
        assertThat(phone((String) first.get("access_token"), Map.of("code", code)).errcode()).isEqualTo(0); // overlap
        advance(1);
        assertThat(phone((String) first.get("access_token"), Map.of("code", code2)).errcode()).isEqualTo(40001);
        assertThat(phone((String) second.get("access_token"), Map.of("code", code2)).errcode()).isEqualTo(0);
        advance(7200);
        assertThat(phone((String) second.get("access_token"), Map.of("code", "x")).errcode()).isEqualTo(42001);
    }

    @Test
    void stableTokenIsIsolatedIdempotentAndForceRefreshable() {
        // early in a (UTC) day: the two hours this test moves on must not cross midnight, which resets the day's
        // 20 forced refreshes (the test failed when it ran after 21:55 UTC)
        control().setClock(java.time.Instant.parse("2030-01-02T01:00:00Z"));
        Map<String, Object> s1 = stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, false).json();
        assertThat(s1).containsOnlyKeys("access_token", "expires_in");
        appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET);
        appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET); // cgi-bin/token calls do not evict the stable token
        advance(1000);
        Map<String, Object> s2 = stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, false).json();
        assertThat(s2.get("access_token")).isEqualTo(s1.get("access_token"));
        assertThat(s2.get("expires_in")).isEqualTo(6200);
        advance(6200 - 300); // last five minutes: rolls to a new token, old one lives out its expiry
        Map<String, Object> s3 = stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, false).json();
        assertThat(s3.get("access_token")).isNotEqualTo(s1.get("access_token"));
        assertThat(phone((String) s1.get("access_token"), Map.of("code", control().phoneNumberCode(MINI_PROGRAM_APPID, BOB))).errcode()).isEqualTo(0);
        // force refresh invalidates the current token at once
        Map<String, Object> s4 = stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, true).json();
        assertThat(s4.get("access_token")).isNotEqualTo(s3.get("access_token"));
        assertThat(phone((String) s3.get("access_token"), Map.of("code", "x")).errcode()).isEqualTo(40001);
        // within 30 s nothing is refreshed
        assertThat(stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, true).json().get("access_token")).isEqualTo(s4.get("access_token"));
        // 20 forced refreshes per day, then 45009
        for (int i = 0; i < 19; i++) {
            advance(31);
            assertThat(stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, true).errcode()).isNull();
        }
        advance(31);
        assertThat(stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, true).errcode()).isEqualTo(45009);
    }

    @Test
    void appTokenErrors() {
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID, "secret", "bad")).errcode()).isEqualTo(40001);
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "authorization_code", "appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET)).errcode()).isEqualTo(40002);
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "secret", MINI_PROGRAM_SECRET)).errcode()).isEqualTo(41002);
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID)).errcode()).isEqualTo(41004);
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", "wxnope", "secret", "x")).errcode()).isEqualTo(40013);
        assertThat(http.get("/cgi-bin/stable_token").errcode()).isEqualTo(43002);
        assertThat(http.postJson("/cgi-bin/stable_token", "grant_type=client_credential").errcode()).isEqualTo(47001);
        assertThat(stable(MINI_PROGRAM_APPID, "bad", false).errcode()).isEqualTo(40001);

        EmulatorConfig.AppConfig frozen = new EmulatorConfig.AppConfig("wx00000000000000f1", "f1secret", "mini_program", "Frozen", null, List.of());
        frozen.secretFrozen = true;
        control().addApp(frozen);
        assertThat(http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", "wx00000000000000f1", "secret", "f1secret")).errcode()).isEqualTo(40243);

        EmulatorConfig.AppConfig listed = new EmulatorConfig.AppConfig("wx00000000000000w1", "w1secret", "official_account", "Whitelisted", null, List.of("localhost"));
        listed.ipWhitelist = List.of("10.1.2.3");
        control().addApp(listed);
        Http.Res ip = http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", "wx00000000000000w1", "secret", "w1secret"));
        assertThat(ip.errcode()).isEqualTo(40164);
        assertThat((String) ip.json().get("errmsg")).startsWith("invalid ip 127.0.0.1");
    }

    @Test
    void phoneNumberFlow() {
        String token = (String) stable(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET, false).json().get("access_token");
        String code = control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE);
        assertThat(code).matches("[0-9a-f]{64}");
        Map<String, Object> r = phone(token, Map.of("code", code, "openid", control().openid(MINI_PROGRAM_APPID, ALICE))).json();
        assertThat(r).containsEntry("errcode", 0).containsEntry("errmsg", "ok");
        @SuppressWarnings("unchecked") Map<String, Object> info = (Map<String, Object>) r.get("phone_info");
        assertThat(info).containsEntry("phoneNumber", "13800138000").containsEntry("purePhoneNumber", "13800138000").containsEntry("countryCode", "86");
        @SuppressWarnings("unchecked") Map<String, Object> wm = (Map<String, Object>) info.get("watermark");
        assertThat(wm).containsEntry("appid", MINI_PROGRAM_APPID);
        assertThat(((Number) wm.get("timestamp")).longValue()).isEqualTo(control().now().getEpochSecond());
        assertThat(phone(token, Map.of("code", code)).errcode()).as("single use").isEqualTo(40029);

        control().settings().phoneCountryCodeAsNumber = true;
        @SuppressWarnings("unchecked") Map<String, Object> hk = (Map<String, Object>) phone(token, Map.of("code", control().phoneNumberCode(MINI_PROGRAM_APPID, DORA))).json().get("phone_info");
        assertThat(hk).containsEntry("phoneNumber", "+85251234567").containsEntry("purePhoneNumber", "51234567").containsEntry("countryCode", 852);
    }

    @Test
    void phoneNumberErrors() {
        String token = (String) appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).get("access_token");
        String code = control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE);
        assertThat(http.get("/wxa/business/getuserphonenumber?access_token=" + token + "&code=" + code).errcode()).isEqualTo(43002);
        assertThat(phone("", Map.of("code", code)).errcode()).isEqualTo(41001);
        assertThat(phone("bogus", Map.of("code", code)).errcode()).isEqualTo(40001);
        assertThat(phone(token, Map.of("code", control().miniProgramLoginCode(MINI_PROGRAM_APPID, ALICE))).errcode()).as("wx.login code by mistake").isEqualTo(40029);
        assertThat(phone(token, Map.of("code", code, "openid", control().openid(MINI_PROGRAM_APPID, BOB))).errcode()).isEqualTo(40029);
        String otherToken = (String) appToken(UNBOUND_MINI_PROGRAM_APPID, UNBOUND_MINI_PROGRAM_SECRET).get("access_token");
        assertThat(phone(otherToken, Map.of("code", code)).errcode()).as("other app").isEqualTo(40029);
        String oaToken = (String) appToken(OFFICIAL_ACCOUNT_APPID, OFFICIAL_ACCOUNT_SECRET).get("access_token");
        assertThat(phone(oaToken, Map.of("code", code)).errcode()).isEqualTo(48001);
        advance(300);
        assertThat(phone((String) appToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).get("access_token"), Map.of("code", code)).errcode()).as("expired").isEqualTo(40029);

        EmulatorConfig.AppConfig quota = new EmulatorConfig.AppConfig("wx00000000000000q1", "q1secret", "mini_program", "Quota", null, List.of());
        quota.phoneQuota = 1;
        control().addApp(quota);
        control().phoneNumberCode("wx00000000000000q1", ALICE);
        assertThatThrownBy(() -> control().phoneNumberCode("wx00000000000000q1", ALICE))
                .isInstanceOfSatisfying(EmulatorEngine.ClientError.class, e -> assertThat(e.errno).isEqualTo(1400001));
    }
}
