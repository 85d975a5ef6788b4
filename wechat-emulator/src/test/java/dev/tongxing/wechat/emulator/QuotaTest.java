package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.ConfigLoader;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.core.RequestLog;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.quota.QuotaRule;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Per-app quotas with WeChat's errcodes, on a fixed base clock so every window boundary is exact: the test moves
 * time only through the emulator's offset.
 */
class QuotaTest {
    private static final Instant T0 = Instant.parse("2030-01-01T03:00:00Z");
    static WechatEmulator emu;
    static Http http;

    @BeforeAll
    static void start() {
        emu = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(7).clock(Clock.fixed(T0, ZoneOffset.UTC)));
        http = new Http(emu.baseUrl());
    }

    @AfterAll
    static void stop() {
        emu.close();
    }

    @BeforeEach
    void reset() {
        emu.control().reset();
    }

    private EmulatorControl control() {
        return emu.control();
    }

    private Http.Res exchange(String appid, String secret, String code) {
        return http.get("/sns/oauth2/access_token", Map.of("appid", appid, "secret", secret, "code", code, "grant_type", "authorization_code"));
    }

    private Http.Res stableToken(String appid, String secret) {
        return http.postJson("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "appid", appid, "secret", secret));
    }

    @Test
    void perSecondQuotaOnCodeExchangeAnswers45011AndTheRefusedCallConsumesNothing() {
        control().addQuota(QuotaRule.of(WEBSITE_APPID, "code-exchange").perSecond(10));
        List<Integer> errcodes = new ArrayList<>();
        for (int i = 0; i < 15; i++) errcodes.add(exchange(WEBSITE_APPID, WEBSITE_SECRET, "nosuchcode" + i).errcode());
        assertThat(errcodes.subList(0, 10)).containsOnly(40029); // let through: WeChat answered them
        assertThat(errcodes.subList(10, 15)).containsOnly(45011);

        String code = control().authorizationCode(WEBSITE_APPID, ALICE, null);
        Http.Res refused = exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        assertThat(refused.errcode()).isEqualTo(45011);
        assertThat((String) refused.json().get("errmsg")).startsWith("api minute-quota reach limit mustslower retry next minute");
        // another app has its own budget; the same app's other APIs are not counted
        assertThat(exchange(OTHER_WEBSITE_APPID, OTHER_WEBSITE_SECRET, "nosuchcode").errcode()).isEqualTo(40029);

        control().advanceClock(Duration.ofSeconds(1));
        Http.Res next = exchange(WEBSITE_APPID, WEBSITE_SECRET, code);
        assertThat(next.errcode()).as(next.body()).isNull(); // the refused call did not burn the code
        assertThat(next.json()).containsKey("access_token");

        List<RequestLog.Entry> refusedLog = control().requests(e -> e.quota() != null);
        assertThat(refusedLog).hasSize(6).allSatisfy(e -> {
            assertThat(e.quota()).isEqualTo("quota-1:perSecond");
            assertThat(e.errcode()).isEqualTo(45011);
            assertThat(e.appid()).isEqualTo(WEBSITE_APPID);
        });
        assertThat(http.get("/_emulator/requests", Map.of("quota", "quota-1")).jsonList()).hasSize(6);
        assertThat(http.get("/_emulator/requests", Map.of("quota", "*", "path", "/sns/oauth2/access_token")).jsonList()).hasSize(6);
    }

    @Test
    void dailyQuotaAnswers45009UntilWechatsMidnightInChinaTime() {
        control().addQuota(QuotaRule.of(MINI_PROGRAM_APPID, "stable-token").perDay(3));
        control().setClock(Instant.parse("2030-01-01T15:59:58Z")); // 23:59:58 in Beijing
        for (int i = 0; i < 3; i++) assertThat(stableToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).json()).containsKey("access_token");
        Http.Res over = stableToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET);
        assertThat(over.errcode()).isEqualTo(45009);
        assertThat((String) over.json().get("errmsg")).startsWith("reach max api daily quota limit");
        control().advanceClock(Duration.ofSeconds(1)); // 23:59:59: still the same day
        assertThat(stableToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).errcode()).isEqualTo(45009);
        control().advanceClock(Duration.ofSeconds(1)); // 00:00:00 +08:00 (16:00Z): a new day
        assertThat(stableToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).json()).containsKey("access_token");

        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) http.get("/_emulator/quotas/usage", Map.of("appid", MINI_PROGRAM_APPID)).jsonList().get(0);
        assertThat(usage).containsEntry("ruleId", "quota-1").containsEntry("api", "stable-token").containsEntry("day", 1).containsEntry("total", 4);
    }

    @Test
    void perMinuteQuotaOnUserinfoCountsPerAppAcrossUsers() {
        control().addQuota(QuotaRule.of("*", "userinfo").perMinute(2));
        List<Map<String, Object>> tokens = new ArrayList<>();
        for (String user : List.of(ALICE, BOB, CHEN)) {
            tokens.add(exchange(WEBSITE_APPID, WEBSITE_SECRET, control().authorizationCode(WEBSITE_APPID, user, null)).json());
        }
        List<Integer> seen = new ArrayList<>();
        for (Map<String, Object> t : tokens) {
            seen.add(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).errcode());
        }
        assertThat(seen).containsExactly(null, null, 45011);
        Map<String, Object> mobile = exchange(MOBILE_APPID, MOBILE_SECRET, control().mobileCode(MOBILE_APPID, ALICE)).json();
        assertThat(http.get("/sns/userinfo", Map.of("access_token", mobile.get("access_token"), "openid", mobile.get("openid"))).errcode())
                .as("each app its own counters").isNull();
        control().advanceClock(Duration.ofSeconds(60));
        Map<String, Object> t = tokens.get(2);
        assertThat(http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).errcode()).isNull();
    }

    @Test
    void phoneNumberQuotasOnTheServerApiAndOnTheButton() {
        control().addQuota(QuotaRule.of(MINI_PROGRAM_APPID, "phone-number").perMinute(1));
        control().addQuota(QuotaRule.of(MINI_PROGRAM_APPID, "phone-code").total(2));
        String token = (String) stableToken(MINI_PROGRAM_APPID, MINI_PROGRAM_SECRET).json().get("access_token");
        String first = control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE);
        String second = (String) http.postJson("/_emulator/miniprogram/phone-code", Map.of("appid", MINI_PROGRAM_APPID, "user", BOB)).json().get("code");
        Http.Res third = http.postJson("/_emulator/miniprogram/phone-code", Map.of("appid", MINI_PROGRAM_APPID, "user", ALICE));
        assertThat(third.status()).isEqualTo(409);
        assertThat(third.json()).containsEntry("errno", 1400001);

        assertThat(http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, Map.of("code", first)).json()).containsKey("phone_info");
        assertThat(http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, Map.of("code", second)).errcode()).isEqualTo(45011);
        control().advanceClock(Duration.ofSeconds(60));
        assertThat(http.postJson("/wxa/business/getuserphonenumber?access_token=" + token, Map.of("code", second)).json()).containsKey("phone_info");

        control().clearQuotaUsage(MINI_PROGRAM_APPID);
        assertThat(control().phoneNumberCode(MINI_PROGRAM_APPID, ALICE)).hasSize(64);
    }

    @Test
    void quotasComeFromYamlAndTheControlApiAndResetRestoresTheConfiguredOnes() {
        EmulatorConfig cfg = ConfigLoader.parse("""
                quotas:
                  - appid: wx0000000000000004
                    api: code-exchange
                    perSecond: 1
                    perDay: 100
                """);
        try (WechatEmulator own = WechatEmulator.start(WechatEmulatorOptions.defaults().config(cfg).clock(Clock.fixed(T0, ZoneOffset.UTC)))) {
            Http h = new Http(own.baseUrl());
            Map<String, String> p = Map.of("appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET, "js_code", "x", "grant_type", "authorization_code");
            assertThat(h.get("/sns/jscode2session", p).errcode()).isEqualTo(40029);
            assertThat(h.get("/sns/jscode2session", p).errcode()).isEqualTo(45011);

            Map<String, Object> added = h.postJson("/_emulator/quotas", Map.of("id", "tokens", "appid", MINI_PROGRAM_APPID, "api", "/cgi-bin/token", "perDay", 0)).json();
            assertThat(added).containsEntry("ids", List.of("tokens"));
            assertThat(h.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID, "secret", MINI_PROGRAM_SECRET)).errcode())
                    .isEqualTo(45009);
            assertThat(h.get("/_emulator/quotas").jsonList()).hasSize(2);
            assertThat(h.postJson("/_emulator/quotas", Map.of("api", "no-such-api", "perDay", 1)).status()).isEqualTo(400);
            assertThat(h.postJson("/_emulator/quotas", Map.of("api", "userinfo")).status()).as("a rule without limits").isEqualTo(400);
            assertThat(h.send("DELETE", "/_emulator/quotas/tokens", null).status()).isEqualTo(200);
            assertThat(h.send("DELETE", "/_emulator/quotas/tokens", null).status()).isEqualTo(404);

            assertThat(h.postJson("/_emulator/quotas/clear-usage", Map.of("appid", MINI_PROGRAM_APPID)).status()).isEqualTo(200);
            assertThat(h.get("/sns/jscode2session", p).errcode()).isEqualTo(40029);

            h.postJson("/_emulator/quotas", Map.of("api", "*", "perSecond", 0));
            own.control().reset();
            assertThat(own.control().quotas()).extracting(r -> r.api).containsExactly("code-exchange");
            assertThat(own.control().quotaUsage()).isEmpty();
        }
    }

    @Test
    void officialAccountQrcodeAndUserInfoApisHaveTheirOwnQuotas() {
        control().addQuota(QuotaRule.of(OFFICIAL_ACCOUNT_APPID, "qrcode").perDay(1));
        control().addQuota(QuotaRule.of(OFFICIAL_ACCOUNT_APPID, "user-info").perSecond(1));
        String token = (String) http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", OFFICIAL_ACCOUNT_APPID,
                "secret", OFFICIAL_ACCOUNT_SECRET)).json().get("access_token");
        Map<String, Object> qr = Map.of("action_name", "QR_STR_SCENE", "action_info", Map.of("scene", Map.of("scene_str", "s")));
        assertThat(http.postJson("/cgi-bin/qrcode/create?access_token=" + token, qr).json()).containsKey("ticket");
        assertThat(http.postJson("/cgi-bin/qrcode/create?access_token=" + token, qr).errcode()).isEqualTo(45009);
        Map<String, String> info = Map.of("access_token", token, "openid", control().openid(OFFICIAL_ACCOUNT_APPID, ALICE));
        assertThat(http.get("/cgi-bin/user/info", info).json()).containsEntry("subscribe", 0);
        assertThat(http.get("/cgi-bin/user/info", info).errcode()).isEqualTo(45011);
    }

    @Test
    void aCallWechatNeverSawIsNotCounted() {
        control().addQuota(QuotaRule.of(WEBSITE_APPID, "code-exchange").perSecond(1));
        String faultId = control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").errcode()).isEqualTo(-1);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").errcode()).isEqualTo(-1);
        control().removeFault(faultId);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").errcode()).isEqualTo(40029);
        assertThat(exchange(WEBSITE_APPID, WEBSITE_SECRET, "x").errcode()).isEqualTo(45011);
    }
}
