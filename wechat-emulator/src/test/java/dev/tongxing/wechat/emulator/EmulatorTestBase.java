package dev.tongxing.wechat.emulator;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.time.Duration;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

/** One emulator (default fixture, fixed seed) per test class; state reset before every test. */
abstract class EmulatorTestBase {
    static WechatEmulator emu;
    static Http http;

    @BeforeAll
    static void startEmulator() {
        emu = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(7));
        http = new Http(emu.baseUrl());
    }

    @AfterAll
    static void stopEmulator() {
        emu.close();
    }

    @BeforeEach
    void resetEmulator() {
        emu.control().reset();
    }

    EmulatorControl control() {
        return emu.control();
    }

    void advance(long seconds) {
        control().advanceClock(Duration.ofSeconds(seconds));
    }

    Http.Res exchange(String appid, String secret, String code) {
        return http.get("/sns/oauth2/access_token", Map.of("appid", appid, "secret", secret, "code", code, "grant_type", "authorization_code"));
    }

    Map<String, Object> tokenFor(String appid, String secret, String user) {
        String code = control().authorizationCode(appid, user, null);
        Http.Res r = exchange(appid, secret, code);
        assertThat(r.errcode()).as(r.body()).isNull();
        return r.json();
    }

    static Map<String, Object> websiteToken(String user) {
        String code = emu.control().authorizationCode(WEBSITE_APPID, user, null);
        return http.get("/sns/oauth2/access_token", Map.of("appid", WEBSITE_APPID, "secret", WEBSITE_SECRET, "code", code,
                "grant_type", "authorization_code")).json();
    }
}
