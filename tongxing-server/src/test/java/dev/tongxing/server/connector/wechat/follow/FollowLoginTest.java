package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.connector.wechat.WechatIdentity;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.core.EventPusher;
import dev.tongxing.wechat.emulator.core.MessageCrypto;
import dev.tongxing.wechat.emulator.core.MessageEndpoint;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Follow-to-sign-in around the contract: WeChat's URL check, plain and safe mode, pushes that are forged, stale or
 * resent (WeChat's three tries), a code that expires, the long poll's answers, and the account: the same one a
 * WeChat website login reaches.
 */
class FollowLoginTest extends GatewayTest {

	private static final String OA = DefaultFixture.OFFICIAL_ACCOUNT_APPID;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	DevFollowEndpoint dev;

	@Autowired
	FollowScenes scenes;

	@Autowired
	MeterRegistry meters;

	@Autowired
	MutableClock clock;

	@Autowired
	AccountService accounts;

	@Autowired
	LoginEvents events;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	private final HttpClient http = HttpClient.newHttpClient();

	@BeforeEach
	void wechatPushesHere() {
		FollowTesting.pushesHere(this.emulator, this.dev);
	}

	@AfterEach
	void restore() {
		this.clock.reset();
		FollowTesting.pushesHere(this.emulator, this.dev);
	}

	/** The login page's button, to the QR page: the page and the pending login's state. */
	private HttpResponse<String> qrPage(TestBrowser browser) {
		HttpResponse<String> sent = browser.get("/login/wechat-follow");
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
		HttpResponse<String> page = browser.get(sent.headers().firstValue("Location").orElseThrow());
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		assertThat(page.body()).contains("data-testid=\"wechat-follow\"").contains("src=\"data:image/svg+xml;base64,");
		return page;
	}

	private static String state(HttpResponse<String> page) {
		return TestBrowser.query(URI.create(page.uri().toString())).get("state");
	}

	private double pushes(String outcome) {
		var counter = this.meters.find("tongxing.wechat.follow.messages").tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	private double logins(String outcome) {
		return this.meters.find("tongxing.login.attempts")
			.tag("method", "wechat-follow")
			.tag("outcome", outcome)
			.counters()
			.stream()
			.mapToDouble(c -> c.count())
			.sum();
	}

	private static boolean signedIn(TestBrowser browser) {
		return browser.get("/account").statusCode() == 200;
	}

	private HttpResponse<String> post(String query, String body) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.issuer + FollowMessageController.PATH + "?" + query))
			.header("Content-Type", "text/xml")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String event(String openid, long created, String event, String key) {
		return "<xml><ToUserName><![CDATA[gh_x]]></ToUserName><FromUserName><![CDATA[" + openid
				+ "]]></FromUserName><CreateTime>" + created + "</CreateTime><MsgType><![CDATA[event]]></MsgType><Event><![CDATA["
				+ event + "]]></Event><EventKey><![CDATA[" + key + "]]></EventKey></xml>";
	}

	@Test
	void theLoginPageOffersItInBothLanguagesAndItsPagesRefuseStrangersInWords() {
		HttpResponse<String> zh = browser().get("/login", "zh-CN");
		assertThat(zh.body()).contains("data-provider=\"wechat-follow\"").contains("关注公众号登录");
		HttpResponse<String> en = browser().get("/login", "en");
		assertThat(en.body()).contains("href=\"/login/wechat-follow\"")
			.contains("Follow our WeChat official account to sign in");
		TestBrowser stranger = browser();
		for (String path : new String[] { "/login/wechat-follow/scan", "/login/wechat-follow/scan?state=nope",
				"/login/wechat-follow/scan?state=%ff%00" }) {
			HttpResponse<String> page = stranger.follow(stranger.get(path), null);
			assertThat(page.statusCode()).as(path).isLessThan(500);
			assertThat(page.body()).as(path).doesNotContain("Exception").doesNotContain("data-ticket");
		}
		HttpResponse<String> expired = stranger.follow(stranger.get("/login/wechat-follow/scan?state=nope"), null);
		assertThat(expired.body()).contains("data-testid=\"login-error\"").contains("QR code has expired");
		assertThat(stranger.get("/login/wechat-follow/status?state=nope").body()).isEqualTo("{\"status\":\"expired\"}");
	}

	@Test
	void wechatsUrlCheckGetsTheEchostrBackAndAnotherTokenGetsNothing() {
		EventPusher.UrlVerification ok = this.emulator.control().verifyMessageEndpoint(OA);
		assertThat(ok.ok()).as("%s", ok).isTrue();
		assertThat(ok.body()).isEqualTo(ok.echostr());
		MessageEndpoint ours = this.dev.endpoint();
		this.emulator.control()
			.setMessageEndpoint(OA, new MessageEndpoint(ours.url(), "anothertoken", ours.encodingAesKey(), ours.mode()));
		EventPusher.UrlVerification wrong = this.emulator.control().verifyMessageEndpoint(OA);
		assertThat(wrong.ok()).isFalse();
		assertThat(wrong.status()).isEqualTo(403);
		assertThat(wrong.body()).doesNotContain(wrong.echostr());
	}

	@Test
	void aFollowerScanningInPlainModeIsSignedIn() {
		MessageEndpoint ours = this.dev.endpoint();
		this.emulator.control().setMessageEndpoint(OA, new MessageEndpoint(ours.url(), ours.token(), null, "plain"));
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		double scanned = pushes("scanned");
		// chen follows the account already: WeChat pushes SCAN with the bare scene
		EventPusher.Delivery push = this.emulator.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.CHEN, true);
		assertThat(push.event()).isEqualTo("SCAN");
		assertThat(push.query()).doesNotContainKey("encrypt_type");
		assertThat(push.delivered()).as("%s", push.attempts()).isTrue();
		assertThat(push.attempts()).singleElement().satisfies(a -> assertThat(a.body()).isEqualTo("success"));
		assertThat(pushes("scanned")).isEqualTo(scanned + 1);
		int before = this.events.size();
		double logins = logins("success");
		long audited = this.jdbc.sql("SELECT seq FROM audit_chain_head").query(Long.class).single();
		HttpResponse<String> done = browser.follow(browser.get(FollowTesting.next(browser, page)), null);
		assertThat(done.uri().getPath()).isEqualTo("/account");
		assertThat(signedIn(browser)).isTrue();
		String user = this.events.recordedSuccess(before, "wechat-follow").userId();
		assertThat(logins("success")).as("counted by method").isEqualTo(logins + 1);
		org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(this.jdbc
			.sql("SELECT details FROM audit_entry WHERE seq > ? AND type = 'login.succeeded' AND subject = ?")
			.param(audited)
			.param(user)
			.query(String.class)
			.list()).as("audited").anySatisfy(details -> assertThat(details).contains("\"method\":\"wechat-follow\"")));
	}

	@Test
	void inCompatibleModeAPushSignsInToo() {
		MessageEndpoint ours = this.dev.endpoint();
		this.emulator.control()
			.setMessageEndpoint(OA, new MessageEndpoint(ours.url(), ours.token(), ours.encodingAesKey(), "compatible"));
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		EventPusher.Delivery push = this.emulator.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.ALICE, true);
		assertThat(push.query()).containsEntry("encrypt_type", "aes");
		assertThat(push.body()).contains("<Encrypt>").contains("<FromUserName>");
		assertThat(push.delivered()).as("%s", push.attempts()).isTrue();
		browser.follow(browser.get(FollowTesting.next(browser, page)), null);
		assertThat(signedIn(browser)).isTrue();
	}

	@Test
	void theLongPollWaitsAndSaysSoThenAnswersAtOnceWhenTheCodeIsScanned() throws Exception {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		long started = System.nanoTime();
		assertThat(FollowTesting.status(browser, page).path("status").asString()).isEqualTo("waiting");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("held for the configured wait (2 s)")
			.isGreaterThanOrEqualTo(Duration.ofMillis(1900));
		// the scan comes while the browser waits
		var waiting = java.util.concurrent.CompletableFuture.supplyAsync(() -> FollowTesting.status(browser, page));
		Thread.sleep(300);
		this.emulator.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.ALICE, true);
		var answer = waiting.get(5, java.util.concurrent.TimeUnit.SECONDS);
		assertThat(answer.path("status").asString()).isEqualTo("scanned");
		assertThat(answer.path("next").asString()).startsWith("/login/wechat-follow/callback?state=");
		// another browser is shown nothing of this login
		TestBrowser other = browser();
		assertThat(other.get(page.uri().toString()).headers().firstValue("Location").orElse(""))
			.contains("/login?error=wechat-follow.expired");
		assertThat(other.get(FollowTesting.statusUrl(page)).body()).contains("\"expired\"");
	}

	@Test
	void aForgedPushIsRefusedAndScansNothing() throws Exception {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		String scene = this.scenes.byState(state(page)).orElseThrow().scene();
		String now = String.valueOf(Instant.now().getEpochSecond());
		String openid = this.emulator.control().openid(OA, DefaultFixture.BOB);
		String body = event(openid, Long.parseLong(now), "SCAN", scene);
		double bad = pushes("bad-signature");
		HttpResponse<String> forged = post("signature=" + MessageCrypto.signature("guessedtoken", now, "123")
				+ "&timestamp=" + now + "&nonce=123&openid=" + openid, body);
		assertThat(forged.statusCode()).isEqualTo(403);
		assertThat(forged.body()).isEqualTo("bad-signature");
		assertThat(post("timestamp=" + now + "&nonce=123", body).statusCode()).isEqualTo(403);
		assertThat(pushes("bad-signature")).isEqualTo(bad + 2);
		assertThat(this.scenes.byState(state(page)).orElseThrow().scanned()).isFalse();
		// a safe-mode push whose msg_signature does not cover its Encrypt
		String token = this.dev.endpoint().token();
		String encrypt = MessageCrypto.encrypt(this.dev.endpoint().encodingAesKey(), OA,
				"0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII), body);
		HttpResponse<String> tampered = post("signature=" + MessageCrypto.signature(token, now, "77") + "&timestamp=" + now
				+ "&nonce=77&encrypt_type=aes&msg_signature=" + MessageCrypto.msgSignature(token, now, "77", encrypt + "x"),
				"<xml><ToUserName>gh_x</ToUserName><Encrypt><![CDATA[" + encrypt + "]]></Encrypt></xml>");
		assertThat(tampered.statusCode()).isEqualTo(403);
		// not XML at all, or a DTD (entities are never expanded)
		assertThat(post("signature=" + MessageCrypto.signature(token, now, "78") + "&timestamp=" + now + "&nonce=78",
				"<!DOCTYPE xml [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><xml><FromUserName>&e;</FromUserName></xml>")
			.statusCode()).isEqualTo(400);
		assertThat(this.scenes.byState(state(page)).orElseThrow().scanned()).isFalse();
		// the same event, signed with the token, scans the code: the refusals above were for the signatures alone
		HttpResponse<String> genuine = post("signature=" + MessageCrypto.signature(token, now, "79") + "&timestamp=" + now
				+ "&nonce=79&openid=" + openid, body);
		assertThat(genuine.body()).isEqualTo("success");
		assertThat(this.scenes.byState(state(page)).orElseThrow().scanned()).isTrue();
	}

	@Test
	void signedPushesOfAnyBytesAreRefusedInAWordNeverAServerError() throws Exception {
		String token = this.dev.endpoint().token();
		java.util.SplittableRandom random = new java.util.SplittableRandom(20261204L);
		String[] shapes = { "<xml>", "<xml><Encrypt>", "<![CDATA[", "]]>", "</xml>", "<FromUserName>", "&amp;", "\u0000",
				"<?xml version=\"1.0\"?>", "<!ENTITY", "qrscene_", "<CreateTime>99999999999999</CreateTime>" };
		for (int i = 0; i < 150; i++) {
			StringBuilder body = new StringBuilder();
			for (int n = random.nextInt(12); n > 0; n--) {
				body.append(random.nextBoolean() ? shapes[random.nextInt(shapes.length)] : (char) random.nextInt(0x20, 0x3000));
			}
			String now = String.valueOf(Instant.now().getEpochSecond());
			String nonce = String.valueOf(i);
			String query = "signature=" + MessageCrypto.signature(token, now, nonce) + "&timestamp=" + now + "&nonce=" + nonce
					+ (i % 2 == 0 ? "&encrypt_type=aes&msg_signature=" + MessageCrypto.msgSignature(token, now, nonce, body.toString()) : "");
			HttpResponse<String> answer = post(query, body.toString());
			assertThat(answer.statusCode()).as("%s", body).isLessThan(500);
			assertThat(answer.body()).as("%s", body).doesNotContain("Exception");
		}
	}

	@Test
	void aSignedPushOlderThanTheMaximumAgeIsRefusedAsAReplay() throws Exception {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		String scene = this.scenes.byState(state(page)).orElseThrow().scene();
		String old = String.valueOf(Instant.now().minus(Duration.ofMinutes(6)).getEpochSecond());
		String openid = this.emulator.control().openid(OA, DefaultFixture.BOB);
		String token = this.dev.endpoint().token();
		HttpResponse<String> replayed = post("signature=" + MessageCrypto.signature(token, old, "5") + "&timestamp=" + old
				+ "&nonce=5&openid=" + openid, event(openid, Long.parseLong(old), "SCAN", scene));
		assertThat(replayed.statusCode()).isEqualTo(403);
		assertThat(replayed.body()).isEqualTo("stale");
		assertThat(this.scenes.byState(state(page)).orElseThrow().scanned()).isFalse();
	}

	@Test
	void wechatResendsAPushWhoseAnswerWasLostThreeTriesInAllAndItCountsOnce() throws Exception {
		MessageEndpoint ours = this.dev.endpoint();
		try (LosingProxy proxy = new LosingProxy(ours.url(), 3)) {
			this.emulator.control()
				.setMessageEndpoint(OA, new MessageEndpoint(proxy.url(), ours.token(), ours.encodingAesKey(), ours.mode()));
			TestBrowser browser = browser();
			HttpResponse<String> page = qrPage(browser);
			double scanned = pushes("scanned");
			double duplicates = pushes("duplicate");
			EventPusher.Delivery push = this.emulator.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.BOB, true);
			assertThat(push.attempts()).as("WeChat's three tries").hasSize(3);
			assertThat(push.delivered()).isFalse();
			assertThat(proxy.gatewayAnswers).hasSize(3).allSatisfy(answer -> {
				assertThat(answer.statusCode()).isEqualTo(200);
				assertThat(answer.body()).isEqualTo("success");
			});
			assertThat(pushes("scanned")).isEqualTo(scanned + 1);
			assertThat(pushes("duplicate")).isEqualTo(duplicates + 2);
			int before = this.events.size();
			browser.follow(browser.get(FollowTesting.next(browser, page)), null);
			assertThat(signedIn(browser)).isTrue();
			this.events.recordedSuccess(before, "wechat-follow");
		}
	}

	@Test
	void aCodeThatExpiresUnscannedEndsInWords() {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		this.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
		assertThat(FollowTesting.status(browser, page).path("status").asString()).isEqualTo("expired");
		assertThat(browser.get(page.uri().toString()).headers().firstValue("Location").orElse(""))
			.contains("/login?error=wechat-follow.expired");
		int before = this.events.size();
		HttpResponse<String> back = browser.follow(browser.get("/login/wechat-follow/callback?state=" + state(page)), null);
		assertThat(back.uri().getPath()).isEqualTo("/login");
		assertThat(back.body()).contains("data-testid=\"login-error\"").doesNotContain("Exception");
		assertThat(this.events.since(before)).singleElement().satisfies(e -> {
			assertThat(e.method()).isEqualTo("wechat-follow");
			assertThat(e.success()).isFalse();
			assertThat(e.upstreamError()).isEqualTo("follow scene-expired");
		});
		assertThat(signedIn(browser)).isFalse();
	}

	@Test
	void codesAndRememberedPushesArePurgedOnceTheyCanNoLongerMatter() {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		String hash = this.scenes.messageHash(OA, "purge-test-" + System.nanoTime());
		this.scenes.remember(hash);
		this.scenes.purge(Duration.ofHours(2));
		assertThat(this.scenes.byState(state(page))).as("a live code stays").isPresent();
		assertThatThrownBy(() -> this.scenes.remember(hash)).as("a recent push is still known")
			.isInstanceOf(org.springframework.dao.DuplicateKeyException.class);
		this.clock.advance(Duration.ofMinutes(16));
		this.scenes.purge(Duration.ofHours(2));
		assertThat(this.scenes.byState(state(page))).as("ten minutes past its expiry").isEmpty();
		this.clock.advance(Duration.ofHours(2));
		this.scenes.purge(Duration.ofHours(2));
		this.scenes.remember(hash); // forgotten: older than any push the endpoint would still take
	}

	@Test
	void aPersonWhoUnfollowsBeforeTheCallbackIsNotSignedInOnTheOpenidAlone() {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		this.emulator.control().scanQrCode(FollowTesting.ticket(page), DefaultFixture.DORA, true);
		this.emulator.control().unfollow(OA, DefaultFixture.DORA);
		int before = this.events.size();
		HttpResponse<String> back = browser.follow(browser.get(FollowTesting.next(browser, page)), null);
		assertThat(back.uri().getPath()).isEqualTo("/login");
		assertThat(back.body()).contains("unfollowed our official account");
		assertThat(this.events.since(before)).singleElement()
			.satisfies(e -> assertThat(e.upstreamError()).isEqualTo("follow unfollowed"));
		assertThat(signedIn(browser)).isFalse();
	}

	@Test
	void theCallbackBeforeAnyScanSignsNobodyIn() {
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		int before = this.events.size();
		HttpResponse<String> back = browser.follow(browser.get("/login/wechat-follow/callback?state=" + state(page)), null);
		assertThat(back.uri().getPath()).isEqualTo("/login");
		assertThat(this.events.since(before)).singleElement()
			.satisfies(e -> assertThat(e.upstreamError()).isEqualTo("follow not-scanned"));
		// the code went with its login: a later scan leads nowhere
		assertThat(this.scenes.byState(state(page))).isEmpty();
		assertThat(signedIn(browser)).isFalse();
	}

	@Test
	void followingLandsInTheSameAccountAsAWechatWebsiteLogin() throws Exception {
		String person = "follow-" + Long.toHexString(System.nanoTime());
		var user = new dev.tongxing.wechat.emulator.config.EmulatorConfig.UserConfig();
		user.id = person;
		user.nickname = "Follower";
		this.emulator.control().addUser(user);
		TestBrowser browser = browser();
		HttpResponse<String> page = qrPage(browser);
		EventPusher.Delivery push = this.emulator.control().scanQrCode(FollowTesting.ticket(page), person, true);
		assertThat(push.event()).isEqualTo("subscribe");
		assertThat(push.eventKey()).startsWith("qrscene_");
		browser.follow(browser.get(FollowTesting.next(browser, page)), null);
		assertThat(signedIn(browser)).isTrue();
		String unionid = this.emulator.control().unionid(OA, person);
		String viaFollow = this.accounts.userFor(new IdentityKey(WechatIdentity.UNION, unionid)).orElseThrow();
		assertThat(this.accounts.userFor(new IdentityKey(WechatIdentity.OPEN,
				OA + ":" + this.emulator.control().openid(OA, person)))).contains(viaFollow);
		// the same person signs in with WeChat's website QR login: the same account
		TestBrowser website = browser();
		URI qr = URI.create(website.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		Map<String, String> query = TestBrowser.query(qr);
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, person, "snsapi_login");
		website.follow(website.get(query.get("redirect_uri") + "?code=" + code + "&state=" + query.get("state")), null);
		assertThat(signedIn(website)).isTrue();
		assertThat(this.accounts.userFor(new IdentityKey(WechatIdentity.OPEN,
				DefaultFixture.WEBSITE_APPID + ":" + this.emulator.control().openid(DefaultFixture.WEBSITE_APPID, person))))
			.contains(viaFollow);
	}

}
