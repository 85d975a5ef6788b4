package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** WeChat login in the browser against the emulator: website QR and official-account flows. */
class WechatBrowserLoginTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final String WECHAT_BROWSER = "Mozilla/5.0 (Linux; Android 14) MicroMessenger/8.0.50";

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	dev.tongxing.server.testing.LoginEvents loginEvents;

	@Autowired
	WechatBackOffs backOffs;

	OAuthClient oauth;

	@BeforeEach
	void setUp() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@AfterEach
	void resetUpstream() {
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	/** Client → gateway login page → "WeChat" → the emulator's page, as the browser would see it. */
	URI toWechat(TestBrowser browser, Pkce pkce) {
		HttpResponse<String> login = browser.follow(browser.get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", pkce))
			.toString()), null);
		assertThat(login.body()).contains("data-provider=\"wechat\"");
		HttpResponse<String> toWechat = browser.get("/login/wechat");
		assertThat(toWechat.statusCode()).isEqualTo(302);
		return URI.create(toWechat.headers().firstValue("Location").orElseThrow());
	}

	/** Lets the emulator's page approve as {@code user} and follows everything back to the client. */
	URI approveAndReturn(TestBrowser browser, URI wechatPage, String user) {
		this.emulator.control().settings().autoApproveUser = user;
		HttpResponse<String> afterWechat = skipPhoneInvitation(browser,
				browser.follow(browser.get(wechatPage.toString()), CALLBACK));
		String location = afterWechat.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("no redirect to the client: HTTP " + afterWechat.statusCode() + " "
						+ afterWechat.uri() + "\n" + afterWechat.body()));
		return afterWechat.uri().resolve(location);
	}

	/** After a WeChat sign-in with no phone bound the person is invited to bind one; "not now". */
	static HttpResponse<String> skipPhoneInvitation(TestBrowser browser, HttpResponse<String> page) {
		if (page.statusCode() == 200 && page.body().contains("data-testid=\"phone-invitation\"")) {
			assertThat(page.body()).contains("data-action=\"skip\"");
			return browser.follow(browser.get("/account/phone/skip"), CALLBACK);
		}
		return page;
	}

	Map<String, Object> idTokenClaims(URI redirect, Pkce pkce) throws Exception {
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaims();
	}

	@Test
	void websiteQrLoginLandsTheUserInTheClient() throws Exception {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		URI wechat = toWechat(browser, pkce);
		assertThat(wechat.getPath()).isEqualTo("/connect/qrconnect");
		Map<String, String> query = TestBrowser.query(wechat);
		assertThat(query).containsEntry("appid", DefaultFixture.WEBSITE_APPID)
			.containsEntry("scope", "snsapi_login")
			.containsEntry("response_type", "code")
			.containsEntry("redirect_uri", this.issuer + "/login/wechat/callback");
		assertThat(query.get("state")).matches("[A-Za-z0-9]{32}");
		assertThat(wechat.getRawFragment()).isEqualTo("wechat_redirect");

		int before = this.loginEvents.size();
		URI redirect = approveAndReturn(browser, wechat, DefaultFixture.ALICE);
		assertThat(redirect.toString()).startsWith(CALLBACK + "?code=");
		assertThat(this.loginEvents.since(before)).singleElement().satisfies(event -> {
			assertThat(event.success()).isTrue();
			assertThat(event.app()).isEqualTo(DefaultFixture.WEBSITE_APPID);
			assertThat(event.userId()).isNotBlank();
		});
		Map<String, Object> claims = idTokenClaims(redirect, pkce);
		String sub = (String) claims.get("sub");
		assertThat(sub).isNotBlank()
			.isNotEqualTo(this.emulator.control().openid(DefaultFixture.WEBSITE_APPID, DefaultFixture.ALICE));
		assertThat(claims.get("name")).isNotNull();

		// the same person again: the same account
		Pkce again = Pkce.create();
		TestBrowser second = browser();
		URI redirect2 = approveAndReturn(second, toWechat(second, again), DefaultFixture.ALICE);
		assertThat(idTokenClaims(redirect2, again).get("sub")).isEqualTo(sub);
	}

	@Test
	void stateFromAnotherBrowserOrTamperedIsRefused() {
		TestBrowser victim = browser();
		URI wechat = toWechat(victim, Pkce.create());
		String state = TestBrowser.query(wechat).get("state");
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, DefaultFixture.BOB,
				"snsapi_login");
		// an attacker's browser presents the victim's state: refused, and the state is burnt
		TestBrowser attacker = browser();
		attacker.get("/login");
		HttpResponse<String> forged = attacker.get("/login/wechat/callback?code=" + code + "&state=" + state);
		assertThat(forged.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.state");
		assertThat(this.loginEvents.all().getLast().cause())
			.isEqualTo(dev.tongxing.server.login.LoginFailureCause.STATE_INVALID);
		HttpResponse<String> late = victim.get("/login/wechat/callback?code=" + code + "&state=" + state);
		assertThat(late.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.state");
		assertThat(victim.get("/login?error=wechat.state").body()).contains("data-testid=\"login-error\"");
	}

	@Test
	void cancellingOnThePhoneComesBackWithAMessage() {
		TestBrowser browser = browser();
		String state = TestBrowser.query(toWechat(browser, Pkce.create())).get("state");
		HttpResponse<String> back = browser.get("/login/wechat/callback?state=" + state);
		assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.cancelled");
		assertThat(browser.get("/login?error=wechat.cancelled").body()).contains("WeChat sign-in was cancelled");
	}

	@Test
	void aDoubleCallbackExchangesTheCodeOnce() {
		TestBrowser browser = browser();
		URI wechat = toWechat(browser, Pkce.create());
		String state = TestBrowser.query(wechat).get("state");
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, DefaultFixture.BOB,
				"snsapi_login");
		this.emulator.control().clearRequests();
		HttpResponse<String> first = browser.get("/login/wechat/callback?code=" + code + "&state=" + state);
		HttpResponse<String> second = browser.get("/login/wechat/callback?code=" + code + "&state=" + state);
		assertThat(first.headers().firstValue("Location").orElseThrow()).containsAnyOf("/oauth2/authorize",
				"/account/phone?invite");
		assertThat(second.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.state");
		assertThat(this.emulator.control()
			.requests("/sns/oauth2/access_token")
			.stream()
			.filter(e -> code.equals(e.param("code")))).hasSize(1);
	}

	@Test
	void whenWechatFailsTheLoginPageSaysSoAndTheCodeIsNotRetried() {
		this.emulator.control()
			.addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
		int before = this.loginEvents.size();
		for (int i = 0; i < 3; i++) {
			TestBrowser browser = browser();
			URI wechat = toWechat(browser, Pkce.create());
			this.emulator.control().settings().autoApproveUser = DefaultFixture.ALICE;
			this.emulator.control().clearRequests();
			HttpResponse<String> back = browser.follow(browser.get(wechat.toString()), this.issuer + "/login?");
			assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.unavailable");
			assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).hasSize(1);
		}
		// each failure recorded with its cause and the exact upstream error
		assertThat(this.loginEvents.since(before)).hasSize(3).allSatisfy(event -> {
			assertThat(event.success()).isFalse();
			assertThat(event.method()).isEqualTo("wechat");
			assertThat(event.app()).isEqualTo(DefaultFixture.WEBSITE_APPID);
			assertThat(event.cause()).isEqualTo(dev.tongxing.server.login.LoginFailureCause.UPSTREAM_UNAVAILABLE);
			assertThat(event.upstreamError()).isEqualTo("/sns/oauth2/access_token errcode -1");
		});
		HttpResponse<String> page = browser().get("/login");
		assertThat(page.body()).contains("data-testid=\"wechat-degraded\"")
			.contains("sign in with your phone number instead");
		assertThat(browser().get("/login", "zh-CN").body()).contains("微信登录暂时出现问题");
	}

	@Test
	void wechatErrorsBecomeClearMessagesAndCauses() {
		record Case(int errcode, String message, dev.tongxing.server.login.LoginFailureCause cause) {
		}
		for (Case c : List.of(
				new Case(40125, "wechat.config", dev.tongxing.server.login.LoginFailureCause.APP_CREDENTIALS_INVALID),
				new Case(45011, "wechat.unavailable", dev.tongxing.server.login.LoginFailureCause.UPSTREAM_RATE_LIMITED),
				new Case(40029, "wechat.code", dev.tongxing.server.login.LoginFailureCause.CODE_EXPIRED_OR_REUSED),
				new Case(48001, "wechat.config", dev.tongxing.server.login.LoginFailureCause.APP_NOT_AUTHORISED))) {
			this.emulator.control().clearFaults();
			this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", c.errcode(), 1.0));
			TestBrowser browser = browser();
			URI wechat = toWechat(browser, Pkce.create());
			String code = this.emulator.control()
				.authorizationCode(DefaultFixture.WEBSITE_APPID, DefaultFixture.ALICE, "snsapi_login");
			HttpResponse<String> back = browser
				.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state"));
			assertThat(back.headers().firstValue("Location").orElseThrow()).as("errcode %s", c.errcode())
				.endsWith("/login?error=" + c.message());
			assertThat(this.loginEvents.all().getLast().cause()).as("errcode %s", c.errcode()).isEqualTo(c.cause());
			// the person reads words, never the code
			String page = browser.get("/login?error=" + c.message()).body();
			assertThat(page).contains("data-testid=\"login-error\"").doesNotContain(String.valueOf(c.errcode()));
			if (c.errcode() == WechatQuota.PER_MINUTE_LIMIT) {
				// WeChat's per-minute limit backed the code exchange off until the next minute: lifted, as an
				// operator may, so the next case reaches WeChat
				this.backOffs.lift(DefaultFixture.WEBSITE_APPID);
			}
		}
	}

	@Test
	void officialAccountLoginInsideWechatUsesSilentAuthorizationForKnownBrowsers() throws Exception {
		TestBrowser browser = browser().userAgent(WECHAT_BROWSER);
		Pkce pkce = Pkce.create();
		URI first = toWechat(browser, pkce);
		assertThat(first.getPath()).isEqualTo("/connect/oauth2/authorize");
		assertThat(TestBrowser.query(first)).containsEntry("scope", "snsapi_userinfo")
			.containsEntry("appid", DefaultFixture.OFFICIAL_ACCOUNT_APPID);
		String sub = (String) idTokenClaims(approveAndReturn(browser, first, DefaultFixture.BOB), pkce).get("sub");

		String known = browser.cookie("tx_wx_known");
		assertThat(known).isEqualTo(DefaultFixture.OFFICIAL_ACCOUNT_APPID);

		// a later visit (new session, same WeChat browser): silent authorization, same account
		TestBrowser later = browser().userAgent(WECHAT_BROWSER).addCookie("tx_wx_known", known);
		Pkce again = Pkce.create();
		URI second = toWechat(later, again);
		assertThat(TestBrowser.query(second)).containsEntry("scope", "snsapi_base");
		assertThat(idTokenClaims(approveAndReturn(later, second, DefaultFixture.BOB), again).get("sub"))
			.isEqualTo(sub);
	}

	@Test
	void aStrangerOnSilentAuthorizationIsAskedForTheFullOne() {
		// a browser that remembers a WeChat sign-in, but the person now is someone the gateway has never seen
		TestBrowser browser = browser().userAgent(WECHAT_BROWSER)
			.addCookie("tx_wx_known", DefaultFixture.OFFICIAL_ACCOUNT_APPID);
		URI silent = toWechat(browser, Pkce.create());
		assertThat(TestBrowser.query(silent)).containsEntry("scope", "snsapi_base");
		String code = this.emulator.control().authorizationCode(DefaultFixture.OFFICIAL_ACCOUNT_APPID, "dora",
				"snsapi_base");
		HttpResponse<String> back = browser
			.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(silent).get("state"));
		assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/login/wechat?scope=userinfo");
		HttpResponse<String> full = browser.get("/login/wechat?scope=userinfo");
		assertThat(TestBrowser.query(URI.create(full.headers().firstValue("Location").orElseThrow())))
			.containsEntry("scope", "snsapi_userinfo");
	}

	@Test
	void snapshotPageUsersGetNoAccount() {
		TestBrowser browser = browser().userAgent(WECHAT_BROWSER);
		URI wechat = toWechat(browser, Pkce.create());
		this.emulator.control().settings().autoApproveUser = DefaultFixture.SAM;
		HttpResponse<String> page = browser.follow(browser.get(wechat.toString()), CALLBACK);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("data-testid=\"wechat-snapshot\"");
		List<String> snapshotOpenids = this.emulator.control()
			.requests("/sns/oauth2/access_token")
			.stream()
			.map(e -> e.param("code"))
			.toList();
		assertThat(snapshotOpenids).isNotEmpty();
	}

}
