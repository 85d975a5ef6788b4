package dev.tongxing.wechat.emulator;

import dev.tongxing.wechat.emulator.core.EmulatorEngine;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.MessageCrypto;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.tongxing.wechat.emulator.DefaultFixture.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Follow the official account to sign in: parametric QR codes, subscribe/SCAN pushes in plain and safe mode, retries, user/info. */
class OfficialAccountFollowTest extends EmulatorTestBase {
    private static final String TOKEN = "eventtoken";
    private static final String AES_KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";
    private MessageReceiver receiver;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new MessageReceiver();
    }

    @AfterEach
    void stopReceiver() {
        receiver.close();
    }

    private String oaToken() {
        return (String) http.get("/cgi-bin/token", Map.of("grant_type", "client_credential", "appid", OFFICIAL_ACCOUNT_APPID,
                "secret", OFFICIAL_ACCOUNT_SECRET)).json().get("access_token");
    }

    private Map<String, Object> createQr(String token, String scene, Integer expire) {
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        if (expire != null) body.put("expire_seconds", expire);
        body.put("action_name", "QR_STR_SCENE");
        body.put("action_info", Map.of("scene", Map.of("scene_str", scene)));
        return http.postJson("/cgi-bin/qrcode/create?access_token=" + token, body).json();
    }

    private static String sha1Sorted(String... parts) throws Exception {
        String[] s = parts.clone();
        Arrays.sort(s);
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(String.join("", s).getBytes(StandardCharsets.UTF_8)));
    }

    private static String element(String xml, String name) {
        Matcher m = Pattern.compile("<" + name + "><!\\[CDATA\\[(.*?)]]></" + name + ">|<" + name + ">([^<]*)</" + name + ">").matcher(xml);
        if (!m.find()) return null;
        return m.group(1) != null ? m.group(1) : m.group(2);
    }

    @Test
    void messageCryptoMatchesWechatsPublishedTestVectors() {
        String appid = "wxb11529c136998cb6";
        byte[] random = "aaaabbbbccccdddd".getBytes(StandardCharsets.US_ASCII);
        String vector = "jn1L23DB+6ELqJ+6bruv21Y6MD7KeIfP82D6gU39rmkgczbWwt5+3bnyg5K55bgVtVzd832WzZGMhkP72vVOfg==";
        assertThat(MessageCrypto.encrypt(AES_KEY, appid, random, "我是中文abcd123")).isEqualTo(vector);
        assertThat(MessageCrypto.decrypt(AES_KEY, appid, vector)).isEqualTo("我是中文abcd123");
        String xml = "<xml><ToUserName><![CDATA[oia2Tj我是中文jewbmiOUlr6X-1crbLOvLw]]></ToUserName><FromUserName><![CDATA[gh_7f083739789a]]></FromUserName><CreateTime>1407743423</CreateTime><MsgType><![CDATA[video]]></MsgType><Video><MediaId><![CDATA[eYJ1MbwPRJtOvIEabaxHs7TX2D-HV71s79GUxqdUkjm6Gs2Ed1KF3ulAOA9H1xG0]]></MediaId><Title><![CDATA[testCallBackReplyVideo]]></Title><Description><![CDATA[testCallBackReplyVideo]]></Description></Video></xml>";
        assertThat(MessageCrypto.encrypt(AES_KEY, appid, random, xml)).startsWith("jn1L23DB+6ELqJ+6bruv23M2GmYfkv0xBh2h+XTBOKVKcgDFHle6gqcZ1cZrk3e1qjPQ1F4RsLW")
                .endsWith("DajPkdPrEeOwofJb");
        assertThatThrownBy(() -> MessageCrypto.decrypt(AES_KEY, "wxsomeoneelse00000", vector)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MessageCrypto.aesKey("short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void qrcodeCreateIssuesTemporaryStringSceneCodesWithWechatsExpiryRules() {
        String token = oaToken();
        Map<String, Object> qr = createQr(token, "login-abc", 300);
        assertThat(qr).containsEntry("expire_seconds", 300).containsKeys("ticket", "url");
        assertThat((String) qr.get("ticket")).startsWith("gQ");
        assertThat((String) qr.get("url")).startsWith(emu.baseUrl() + "/q/");
        assertThat(createQr(token, "x", null)).containsEntry("expire_seconds", 60);
        assertThat(createQr(token, "x", 9_999_999)).containsEntry("expire_seconds", 2_592_000);

        Http.Res image = http.get("/cgi-bin/showqrcode", Map.of("ticket", qr.get("ticket")));
        assertThat(image.status()).isEqualTo(200);
        assertThat(image.header("Content-Type")).startsWith("image/svg+xml");
        assertThat(http.get("/cgi-bin/showqrcode", Map.of("ticket", "gQnope")).status()).isEqualTo(404);

        assertThat(http.postJson("/cgi-bin/qrcode/create?access_token=" + token, Map.of("action_name", "QR_NOPE")).errcode()).isEqualTo(40097);
        assertThat(http.postJson("/cgi-bin/qrcode/create?access_token=" + token,
                Map.of("action_name", "QR_STR_SCENE", "action_info", Map.of("scene", Map.of("scene_str", "x".repeat(65))))).errcode()).isEqualTo(40097);
        String miniToken = (String) http.postJson("/cgi-bin/stable_token", Map.of("grant_type", "client_credential", "appid", MINI_PROGRAM_APPID,
                "secret", MINI_PROGRAM_SECRET)).json().get("access_token");
        assertThat(createQr(miniToken, "x", 60)).containsEntry("errcode", 48001);
        assertThat(http.postJson("/cgi-bin/qrcode/create", Map.of("action_name", "QR_STR_SCENE")).errcode()).isEqualTo(41001);
    }

    @Test
    void plainModeSubscribeThenScanThenUnsubscribeSignedWithTheToken() throws Exception {
        control().setMessageEndpoint(OFFICIAL_ACCOUNT_APPID, new MessageEndpoint(receiver.url(), TOKEN, null, "plain"));
        String token = oaToken();
        Map<String, Object> qr = createQr(token, "login-123", 300);
        String openid = control().openid(OFFICIAL_ACCOUNT_APPID, ALICE);
        assertThat(http.get("/cgi-bin/user/info", Map.of("access_token", token, "openid", openid, "lang", "zh_CN")).json())
                .containsEntry("subscribe", 0).doesNotContainKey("unionid");

        Map<String, Object> first = http.postJson("/_emulator/official-account/scan", Map.of("ticket", qr.get("ticket"), "user", ALICE)).json();
        assertThat(first).containsEntry("event", "subscribe").containsEntry("delivered", true).containsEntry("eventKey", "qrscene_login-123");
        MessageReceiver.Received got = receiver.received.get(0);
        assertThat(got.method()).isEqualTo("POST");
        assertThat(got.query().get("signature")).isEqualTo(sha1Sorted(TOKEN, got.query().get("timestamp"), got.query().get("nonce")));
        assertThat(got.query()).containsEntry("openid", openid).doesNotContainKeys("encrypt_type", "msg_signature");
        assertThat(element(got.body(), "ToUserName")).isEqualTo(control().engine().originalId(OFFICIAL_ACCOUNT_APPID)).startsWith("gh_");
        assertThat(element(got.body(), "FromUserName")).isEqualTo(openid);
        assertThat(element(got.body(), "MsgType")).isEqualTo("event");
        assertThat(element(got.body(), "Event")).isEqualTo("subscribe");
        assertThat(element(got.body(), "EventKey")).isEqualTo("qrscene_login-123");
        assertThat(element(got.body(), "Ticket")).isEqualTo(qr.get("ticket"));
        assertThat(element(got.body(), "CreateTime")).isEqualTo(got.query().get("timestamp"));

        Map<String, Object> info = http.get("/cgi-bin/user/info", Map.of("access_token", token, "openid", openid)).json();
        assertThat(info).containsEntry("subscribe", 1).containsEntry("openid", openid)
                .containsEntry("unionid", control().unionid(OFFICIAL_ACCOUNT_APPID, ALICE))
                .containsEntry("subscribe_scene", "ADD_SCENE_QR_CODE").containsEntry("qr_scene_str", "login-123");

        // scanning again while following: SCAN with the bare scene
        EventPusher.Delivery again = control().scanQrCode((String) qr.get("ticket"), ALICE, true);
        assertThat(again.event()).isEqualTo("SCAN");
        assertThat(element(receiver.received.get(1).body(), "EventKey")).isEqualTo("login-123");

        EventPusher.Delivery gone = control().unfollow(OFFICIAL_ACCOUNT_APPID, ALICE);
        assertThat(gone.event()).isEqualTo("unsubscribe");
        assertThat(element(receiver.received.get(2).body(), "EventKey")).isNull();
        assertThat(control().follows(OFFICIAL_ACCOUNT_APPID, ALICE)).isFalse();
        assertThat(http.get("/cgi-bin/user/info", Map.of("access_token", token, "openid", openid)).json()).containsEntry("subscribe", 0);
        assertThat(control().unfollow(OFFICIAL_ACCOUNT_APPID, ALICE)).isNull();

        assertThat(http.get("/_emulator/official-account/pushes", Map.of("appid", OFFICIAL_ACCOUNT_APPID)).jsonList()).hasSize(3);
        assertThat(http.get("/cgi-bin/user/info", Map.of("access_token", token, "openid", "onotauser")).errcode()).isEqualTo(40003);
    }

    @Test
    void safeModeEncryptsWithTheEncodingAesKeyAndReadsAnEncryptedReply() throws Exception {
        control().setMessageEndpoint(OFFICIAL_ACCOUNT_APPID, new MessageEndpoint(receiver.url(), TOKEN, AES_KEY, "safe"));
        String reply = "<xml><ToUserName><![CDATA[o]]></ToUserName><MsgType><![CDATA[text]]></MsgType><Content><![CDATA[欢迎]]></Content></xml>";
        receiver.responder = r -> {
            String encrypt = MessageCrypto.encrypt(AES_KEY, OFFICIAL_ACCOUNT_APPID, "0123456789abcdef".getBytes(StandardCharsets.US_ASCII), reply);
            return "<xml><Encrypt><![CDATA[" + encrypt + "]]></Encrypt><MsgSignature><![CDATA["
                    + MessageCrypto.msgSignature(TOKEN, "1700000000", "42", encrypt) + "]]></MsgSignature><TimeStamp>1700000000</TimeStamp><Nonce><![CDATA[42]]></Nonce></xml>";
        };
        Map<String, Object> qr = createQr(oaToken(), "scene-safe", 120);
        EventPusher.Delivery d = control().scanQrCode((String) qr.get("ticket"), BOB, true);
        assertThat(d.delivered()).isTrue();
        assertThat(d.reply()).isEqualTo(reply);

        MessageReceiver.Received got = receiver.received.get(0);
        String encrypt = element(got.body(), "Encrypt");
        assertThat(got.body()).doesNotContain("<Event>").doesNotContain("FromUserName");
        assertThat(got.query()).containsEntry("encrypt_type", "aes");
        assertThat(got.query().get("msg_signature")).isEqualTo(sha1Sorted(TOKEN, got.query().get("timestamp"), got.query().get("nonce"), encrypt));
        assertThat(got.query().get("signature")).isEqualTo(sha1Sorted(TOKEN, got.query().get("timestamp"), got.query().get("nonce")));
        String plain = MessageCrypto.decrypt(AES_KEY, OFFICIAL_ACCOUNT_APPID, encrypt);
        assertThat(element(plain, "Event")).isEqualTo("subscribe");
        assertThat(element(plain, "EventKey")).isEqualTo("qrscene_scene-safe");
        assertThat(element(plain, "FromUserName")).isEqualTo(control().openid(OFFICIAL_ACCOUNT_APPID, BOB));

        // a reply whose signature does not check is no answer: WeChat tries again
        receiver.responder = r -> "<xml><Encrypt><![CDATA[abc]]></Encrypt><MsgSignature>bad</MsgSignature><TimeStamp>1</TimeStamp><Nonce>2</Nonce></xml>";
        EventPusher.Delivery bad = control().scanQrCode((String) qr.get("ticket"), BOB, true);
        assertThat(bad.delivered()).isFalse();
        assertThat(bad.attempts()).hasSize(3).allSatisfy(a -> assertThat(a.error()).contains("MsgSignature"));

        // compatible mode: the plain fields and the Encrypt element side by side
        receiver.responder = null;
        control().setMessageEndpoint(OFFICIAL_ACCOUNT_APPID, new MessageEndpoint(receiver.url(), TOKEN, AES_KEY, "compatible"));
        control().scanQrCode((String) qr.get("ticket"), BOB, true);
        String compatible = receiver.received.get(receiver.received.size() - 1).body();
        assertThat(element(compatible, "Event")).isEqualTo("SCAN");
        assertThat(MessageCrypto.decrypt(AES_KEY, OFFICIAL_ACCOUNT_APPID, element(compatible, "Encrypt"))).contains("<Event><![CDATA[SCAN]]></Event>");
    }

    @Test
    void wechatTriesThreeTimesOnSilenceOrAFailureAnswerWithTheSameRequest() {
        control().settings().messagePushTimeoutMillis = 300;
        control().setMessageEndpoint(OFFICIAL_ACCOUNT_APPID, new MessageEndpoint(receiver.url(), TOKEN, null, "plain"));
        String ticket = (String) createQr(oaToken(), "retry", 300).get("ticket");

        receiver.script(new MessageReceiver.Answer(1500, 200, "success"), new MessageReceiver.Answer(0, 200, "success"));
        EventPusher.Delivery slow = control().scanQrCode(ticket, ALICE, true);
        assertThat(slow.delivered()).isTrue();
        assertThat(slow.attempts()).hasSize(2);
        assertThat(slow.attempts().get(0).error()).contains("no answer within 300 ms");
        assertThat(receiver.received).hasSize(2);
        assertThat(receiver.received.get(1)).as("a retry is a duplicate of the first try").isEqualTo(receiver.received.get(0));

        receiver.received.clear();
        receiver.otherwise(new MessageReceiver.Answer(0, 500, "oops"));
        EventPusher.Delivery failing = control().scanQrCode(ticket, ALICE, true);
        assertThat(failing.delivered()).isFalse();
        assertThat(failing.attempts()).extracting(EventPusher.Attempt::status).containsExactly(500, 500, 500);
        assertThat(receiver.received).hasSize(3);

        receiver.received.clear();
        receiver.otherwise(new MessageReceiver.Answer(0, 200, "not ok"));
        assertThat(control().scanQrCode(ticket, ALICE, true).attempts()).hasSize(3);

        control().settings().messagePushAttempts = 1;
        receiver.received.clear();
        assertThat(control().scanQrCode(ticket, ALICE, true).attempts()).hasSize(1);
    }

    @Test
    void nonFollowersWhoDoNotFollowPushNothingAndExpiredCodesCannotBeScanned() {
        control().setMessageEndpoint(OFFICIAL_ACCOUNT_APPID, new MessageEndpoint(receiver.url(), TOKEN, null, "plain"));
        String ticket = (String) createQr(oaToken(), "s1", 60).get("ticket");
        assertThat(http.postJson("/_emulator/official-account/scan", Map.of("ticket", ticket, "user", BOB, "follow", false)).json())
                .containsEntry("pushed", false);
        assertThat(receiver.received).isEmpty();
        // chen follows the official accounts from the start: a scan is SCAN at once
        assertThat(control().scanQrCode(ticket, CHEN, true).event()).isEqualTo("SCAN");

        advance(60);
        Http.Res expired = http.postJson("/_emulator/official-account/scan", Map.of("ticket", ticket, "user", BOB));
        assertThat(expired.status()).isEqualTo(409);
        assertThatThrownBy(() -> control().scanQrCode(ticket, BOB, true)).isInstanceOf(EmulatorEngine.ClientError.class);
        assertThat(http.postJson("/_emulator/official-account/scan", Map.of("ticket", "gQunknown", "user", BOB)).status()).isEqualTo(400);
    }

    @Test
    void urlVerificationAndEndpointsOverTheControlApiAndTheFollowPage() throws Exception {
        receiver.responder = r -> {
            try {
                boolean signed = r.query().get("signature").equals(sha1Sorted(TOKEN, r.query().get("timestamp"), r.query().get("nonce")));
                return signed && "GET".equals(r.method()) ? r.query().get("echostr") : "success";
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        assertThat(http.send("PUT", "/_emulator/official-account/" + OFFICIAL_ACCOUNT_APPID + "/message-endpoint",
                "{\"url\":\"" + receiver.url() + "\",\"token\":\"" + TOKEN + "\",\"encodingAesKey\":\"" + AES_KEY + "\",\"mode\":\"safe\"}").status()).isEqualTo(200);
        assertThat(http.get("/_emulator/official-account/" + OFFICIAL_ACCOUNT_APPID + "/message-endpoint").json()).containsEntry("mode", "safe");
        assertThat(http.send("PUT", "/_emulator/official-account/" + OFFICIAL_ACCOUNT_APPID + "/message-endpoint",
                "{\"url\":\"" + receiver.url() + "\",\"token\":\"t\",\"mode\":\"safe\"}").status()).as("safe mode needs a key").isEqualTo(400);
        assertThat(http.send("PUT", "/_emulator/official-account/" + WEBSITE_APPID + "/message-endpoint",
                "{\"url\":\"" + receiver.url() + "\",\"token\":\"t\"}").status()).isEqualTo(400);
        Map<String, Object> verified = http.postJson("/_emulator/official-account/" + OFFICIAL_ACCOUNT_APPID + "/verify-url", Map.of()).json();
        assertThat(verified).containsEntry("ok", true);
        assertThat(verified.get("body")).isEqualTo(verified.get("echostr"));

        String url = (String) createQr(oaToken(), "page-scene", 300).get("url");
        String path = url.substring(emu.baseUrl().length());
        Http.Res page = http.get(path);
        assertThat(page.body()).contains("data-testid=\"follow-page\"").contains("data-scene=\"page-scene\"").contains("data-user=\"bob\"");
        Http.Res scanned = http.postForm(path + "/scan", Map.of("user", BOB, "follow", "true"));
        assertThat(scanned.body()).contains("data-testid=\"push-result\"").contains("data-event=\"subscribe\"").contains("data-delivered=\"true\"");
        assertThat(control().follows(OFFICIAL_ACCOUNT_APPID, BOB)).isTrue();
        assertThat(http.get("/q/nosuchcode").body()).contains("data-testid=\"page-error\"");
    }
}
