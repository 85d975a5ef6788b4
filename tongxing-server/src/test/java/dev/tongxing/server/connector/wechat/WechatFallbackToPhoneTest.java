package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
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
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The failure this product exists to prevent: WeChat login breaks, and the person still gets into their
 * account — with the phone they were invited to bind after signing in with WeChat.
 */
class WechatFallbackToPhoneTest extends GatewayTest {

	static final String CALLBACK = WechatBrowserLoginTest.CALLBACK;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	SmsSender sms;

	@Autowired
	dev.tongxing.server.testing.MutableClock clock;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	@AfterEach
	void reset() {
		this.clock.reset();
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	String lastCode(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(e164))
			.findFirst()
			.orElseThrow()
			.code();
	}

	String subFrom(HttpResponse<String> toClient, Pkce pkce) throws Exception {
		URI redirect = toClient.uri().resolve(toClient.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith(CALLBACK);
		Reply tokens = new OAuthClient(this.issuer).post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	HttpResponse<String> authorize(TestBrowser browser, Pkce pkce) {
		return browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid phone", pkce))
			.toString()), null);
	}

	@Test
	void wechatFailsAndTheBoundPhoneReachesTheSameAccount() throws Exception {
		String phone = "+8613800138001"; // bob's phone
		// other tests in this context text bob's number too: start past its resend interval and daily limit
		this.clock.advance(java.time.Duration.ofDays(1));
		// and other tests may have said "Not now" for bob, which keeps the invitation away for a while
		this.jdbc.sql("DELETE FROM phone_invitation_decline").update();

		// 1. bob signs in with WeChat and accepts the invitation to bind his phone
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		authorize(browser, pkce);
		URI wechat = URI.create(browser.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, DefaultFixture.BOB,
				"snsapi_login");
		HttpResponse<String> invitation = browser.follow(
				browser.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state")),
				CALLBACK);
		assertThat(invitation.body()).contains("data-testid=\"phone-invitation\"").contains("data-action=\"skip\"");
		HttpResponse<String> sent = browser.submit(invitation, "/account/phone/send",
				PhoneConsentForm.agreed(invitation, Map.of("phone", "138 0013 8001")));
		assertThat(sent.body()).contains("data-testid=\"phone-notice\"");
		HttpResponse<String> bound = browser.follow(
				browser.submit(sent, "/account/phone/verify", Map.of("phone", phone, "code", lastCode(phone))), CALLBACK);
		String wechatSub = subFrom(bound, pkce);

		// 2. WeChat breaks: logins fail, the login page says so and puts phone login first
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", -1, 1.0));
		for (int i = 0; i < 3; i++) {
			TestBrowser failing = browser();
			authorize(failing, Pkce.create());
			URI page = URI.create(failing.get("/login/wechat").headers().firstValue("Location").orElseThrow());
			String failedCode = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID,
					DefaultFixture.BOB, "snsapi_login");
			HttpResponse<String> back = failing.get(
					"/login/wechat/callback?code=" + failedCode + "&state=" + TestBrowser.query(page).get("state"));
			assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.unavailable");
		}
		TestBrowser later = browser();
		Pkce laterPkce = Pkce.create();
		HttpResponse<String> loginPage = authorize(later, laterPkce);
		assertThat(loginPage.body()).contains("data-testid=\"wechat-degraded\"");
		assertThat(loginPage.body().indexOf("data-provider=\"phone\""))
			.isLessThan(loginPage.body().indexOf("data-provider=\"wechat\""));

		// 3. bob signs in with his phone: the very same account (a few minutes later: the send limits allow
		// one code a minute per number and per address, and every test browser here is 127.0.0.1)
		this.clock.advance(java.time.Duration.ofMinutes(2));
		HttpResponse<String> phonePage = later.get("/login/phone");
		HttpResponse<String> codeSent = later.submit(phonePage, "/login/phone/send",
				PhoneConsentForm.agreed(phonePage, Map.of("phone", "13800138001")));
		HttpResponse<String> toClient = later.follow(
				later.submit(codeSent, "/login/phone/sign-in", Map.of("phone", phone, "code", lastCode(phone))), CALLBACK);
		assertThat(subFrom(toClient, laterPkce)).isEqualTo(wechatSub);
	}

}
