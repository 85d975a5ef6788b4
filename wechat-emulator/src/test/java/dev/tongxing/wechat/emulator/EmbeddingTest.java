package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmbeddingTest {

    @Test
    void twoInstancesInOneJvmOnFreePortsAreIndependent() {
        String previousPort = System.getProperty("server.port");
        String previousContext = System.getProperty("server.servlet.context-path");
        // a host application's settings must not leak into the emulator's context
        System.setProperty("server.port", "1");
        System.setProperty("server.servlet.context-path", "/host-app");
        try (WechatEmulator a = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(1));
             WechatEmulator b = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(1))) {
            assertThat(a.port()).isPositive().isNotEqualTo(1).isNotEqualTo(b.port());
            assertThat(a.baseUrl()).isEqualTo("http://127.0.0.1:" + a.port());
            String code = a.control().authorizationCode(WEBSITE_APPID, ALICE, null);
            Http ha = new Http(a.baseUrl());
            Http hb = new Http(b.baseUrl());
            Map<String, String> params = Map.of("appid", WEBSITE_APPID, "secret", WEBSITE_SECRET, "code", code, "grant_type", "authorization_code");
            // same seed → b minted nothing yet, so a's code is unknown there
            assertThat(hb.get("/sns/oauth2/access_token", params).errcode()).isEqualTo(40029);
            assertThat(ha.get("/sns/oauth2/access_token", params).json()).containsKey("access_token");
            assertThat(a.control().requests("/sns/oauth2/access_token")).hasSize(1);
            assertThat(b.control().requests("/sns/oauth2/access_token")).hasSize(1);
            b.close();
            assertThat(b.isRunning()).isFalse();
            assertThat(a.isRunning()).isTrue();
        } finally {
            restore("server.port", previousPort);
            restore("server.servlet.context-path", previousContext);
        }
    }

    private static void restore(String key, String value) {
        if (value == null) System.clearProperty(key);
        else System.setProperty(key, value);
    }

    @Test
    void idsAreDeterministicAcrossRestartsAndFollowTheUnionIdRules() {
        String openid;
        String unionid;
        try (WechatEmulator a = WechatEmulator.start()) {
            openid = a.control().openid(WEBSITE_APPID, ALICE);
            unionid = a.control().unionid(WEBSITE_APPID, ALICE);
        }
        try (WechatEmulator b = WechatEmulator.start(WechatEmulatorOptions.defaults().seed(99))) {
            EmulatorControl c = b.control();
            assertThat(c.openid(WEBSITE_APPID, ALICE)).isEqualTo(openid).hasSize(28).startsWith("o");
            assertThat(c.unionid(WEBSITE_APPID, ALICE)).isEqualTo(unionid).hasSize(28);
            // same account → same unionid; openid differs per app
            for (String app : new String[] {MOBILE_APPID, OFFICIAL_ACCOUNT_APPID, MINI_PROGRAM_APPID}) {
                assertThat(c.unionid(app, ALICE)).isEqualTo(unionid);
                assertThat(c.openid(app, ALICE)).isNotEqualTo(openid);
            }
            assertThat(c.unionid(OTHER_WEBSITE_APPID, ALICE)).isNotEqualTo(unionid);
            assertThat(c.unionid(UNBOUND_OFFICIAL_ACCOUNT_APPID, ALICE)).isNull();
            assertThat(c.unionid(UNBOUND_MINI_PROGRAM_APPID, ALICE)).isNull();
            assertThat(c.unionid(WEBSITE_APPID, BOB)).isNotEqualTo(unionid);
        }
    }

    @Test
    void yamlConfigurationReplacesTheSectionsItGives(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("emulator.yml");
        Files.writeString(file, """
                idSecret: my-secret
                seed: 5
                settings:
                  denyBehaviour: state-only
                accounts:
                  - id: acme
                apps:
                  - appid: wxacme000000000001
                    secret: acmesecret
                    kind: website
                    account: acme
                    callbackDomains: [acme.test]
                users:
                  - id: zhang
                    nickname: 张三
                    avatar: https://example.test/a.png
                    phone: "+86 13900000000"
                faults:
                  - type: outage
                    endpoint: /sns/userinfo
                    windows:
                      - start: 2030-01-01T00:00:00Z
                        end: 2030-01-01T01:00:00Z
                """);
        try (WechatEmulator emu = WechatEmulator.start(WechatEmulatorOptions.defaults().configFile(file))) {
            EmulatorControl c = emu.control();
            assertThat(c.engine().apps()).extracting(EmulatorEngineApp::appid).containsExactly("wxacme000000000001");
            assertThat(c.engine().user("zhang").nickname).isEqualTo("张三");
            assertThat(c.settings().denyBehaviour).isEqualTo("state-only");
            assertThat(c.settings().codeReusedErrcode).isEqualTo(40163); // unspecified switches keep defaults
            assertThat(c.faults()).hasSize(1);
            assertThat(c.faults().get(0).windows.get(0).start).isEqualTo("2030-01-01T00:00:00Z");
            assertThatThrownBy(() -> c.openid(WEBSITE_APPID, ALICE)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void configObjectAndUnknownKeysAreChecked() {
        EmulatorConfig cfg = DefaultFixture.config();
        cfg.settings.codeExpiredErrcode = 40029;
        try (WechatEmulator emu = WechatEmulator.start(WechatEmulatorOptions.defaults().config(cfg))) {
            assertThat(emu.control().settings().codeExpiredErrcode).isEqualTo(40029);
        }
        assertThatThrownBy(() -> dev.tongxing.wechat.emulator.config.ConfigLoader.parse("settings:\n  noSuchSwitch: 1\n"))
                .hasMessageContaining("noSuchSwitch");
    }

    /** Method reference helper so the assertion reads naturally. */
    private interface EmulatorEngineApp {
        static String appid(dev.tongxing.wechat.emulator.core.EmulatorEngine.App a) {
            return a.appid();
        }
    }
}
