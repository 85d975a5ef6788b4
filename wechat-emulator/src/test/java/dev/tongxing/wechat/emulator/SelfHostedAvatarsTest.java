package dev.tongxing.wechat.emulator;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** With settings.selfHostedAvatars, headimgurl is an image the emulator serves itself, not WeChat's image host. */
class SelfHostedAvatarsTest extends EmulatorTestBase {

    @Test
    void headimgurlPointsAtTheEmulatorsOwnImage() {
        control().settings().selfHostedAvatars = true;
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        Map<String, Object> u = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json();
        String avatar = (String) u.get("headimgurl");
        assertThat(avatar).isEqualTo(emu.baseUrl() + "/_emulator/avatars/" + ALICE + ".svg");
        Http.Res image = http.get(avatar.substring(emu.baseUrl().length()), Map.of());
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(image.body()).startsWith("<svg").contains(">A</text>");
        assertThat(http.get("/_emulator/avatars/nobody.svg", Map.of()).status()).isEqualTo(404);
    }

    @Test
    void offByDefaultAsWechatAnswers() {
        Map<String, Object> t = tokenFor(WEBSITE_APPID, WEBSITE_SECRET, ALICE);
        Map<String, Object> u = http.get("/sns/userinfo", Map.of("access_token", t.get("access_token"), "openid", t.get("openid"))).json();
        assertThat((String) u.get("headimgurl")).startsWith("https://thirdwx.qlogo.cn/");
    }

}
