package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.Prometheus;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * 网络数据安全管理条例 Art. 22 (and the MIIT rules on repeated requests): after "Not now" to the invitation to
 * bind a phone, the invitation is not shown again until the cool-down ({@code tongxing.phone.invitation.cool-down},
 * 48 h by default, never below 24 h) has passed; each refusal is stored and counted. The clock is advanced.
 */
class NetworkData22NoReAskingAfterRefusalTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	WechatEmulator emulator;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	PhoneInvitationProperties properties;

	@AfterEach
	void reset() {
		this.clock.reset();
	}

	/** A WeChat user nobody else uses, with no phone on WeChat's side. */
	String newWechatUser() {
		EmulatorConfig.UserConfig user = new EmulatorConfig.UserConfig();
		user.id = "refuser" + (int) (Math.random() * 1_000_000);
		user.nickname = "Refuser";
		this.emulator.control().addUser(user);
		return user.id;
	}

	/** A fresh browser signs in with WeChat: the page after the callback (the invitation, or the redirect). */
	HttpResponse<String> signInWithWechat(String user) {
		TestBrowser browser = browser();
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		URI wechat = URI.create(browser.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, user, "snsapi_login");
		this.lastBrowser = browser;
		return browser.follow(
				browser.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state")),
				CALLBACK);
	}

	TestBrowser lastBrowser;

	static boolean invited(HttpResponse<String> page) {
		return page.statusCode() == 200 && page.body().contains("data-testid=\"phone-invitation\"");
	}

	double declinedMetric() {
		return Prometheus.scrape(this.issuer).sum("tongxing_phone_invitation_declined_total", Map.of());
	}

	int storedDeclines() {
		return this.jdbc.sql("SELECT COALESCE(SUM(declines), 0) FROM phone_invitation_decline")
			.query(Integer.class)
			.single();
	}

	@Test
	void notNowIsStoredAndTheInvitationWaitsForTheCoolDown() {
		String user = newWechatUser();
		assertThat(this.properties.coolDown()).isEqualTo(Duration.ofHours(48));
		HttpResponse<String> first = signInWithWechat(user);
		assertThat(invited(first)).as(first.body()).isTrue();

		double metricBefore = declinedMetric();
		int storedBefore = storedDeclines();
		HttpResponse<String> back = this.lastBrowser.follow(this.lastBrowser.get("/account/phone/skip"), CALLBACK);
		assertThat(back.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
		assertThat(storedDeclines()).isEqualTo(storedBefore + 1);
		assertThat(declinedMetric()).isEqualTo(metricBefore + 1);

		// the next sign-in, later that day and the next: not asked again
		assertThat(invited(signInWithWechat(user))).isFalse();
		this.clock.advance(Duration.ofHours(47).plusMinutes(59));
		HttpResponse<String> beforeCoolDown = signInWithWechat(user);
		assertThat(invited(beforeCoolDown)).isFalse();
		assertThat(beforeCoolDown.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
		// the person may still bind a phone on their own, from the account page
		HttpResponse<String> own = this.lastBrowser.get("/account/phone");
		assertThat(own.body()).contains("data-testid=\"phone-bind\"").doesNotContain("data-testid=\"phone-invitation\"");

		// past the cool-down: asked once more, and a second "Not now" counts again
		this.clock.advance(Duration.ofMinutes(2));
		assertThat(invited(signInWithWechat(user))).isTrue();
		this.lastBrowser.follow(this.lastBrowser.get("/account/phone/skip"), CALLBACK);
		assertThat(declinedMetric()).isEqualTo(metricBefore + 2);
		assertThat(storedDeclines()).isEqualTo(storedBefore + 2);
		// one row per person, counting: this person's is the one with two
		assertThat(this.jdbc.sql("SELECT MAX(declines) FROM phone_invitation_decline").query(Integer.class).single())
			.isGreaterThanOrEqualTo(2);
		assertThat(invited(signInWithWechat(user))).isFalse();
	}

	@Test
	void leavingThePageWithoutAnsweringIsNotARefusal() {
		String user = newWechatUser();
		assertThat(invited(signInWithWechat(user))).isTrue();
		int storedBefore = storedDeclines();
		// "Back to your account" / closing the tab stores nothing: only "Not now" on the invitation does
		this.lastBrowser.get("/account");
		assertThat(storedDeclines()).isEqualTo(storedBefore);
		assertThat(invited(signInWithWechat(user))).isTrue();
	}

	@Test
	void theCoolDownCanBeLongerButNeverShorterThanADay() {
		assertThat(new PhoneInvitationProperties(Duration.ofHours(24)).coolDown()).isEqualTo(Duration.ofHours(24));
		assertThat(new PhoneInvitationProperties(Duration.ofDays(7)).coolDown()).isEqualTo(Duration.ofDays(7));
		assertThatThrownBy(() -> new PhoneInvitationProperties(Duration.ofHours(23).plusMinutes(59)))
			.isInstanceOf(IllegalArgumentException.class)
			.hasMessageContaining("tongxing.phone.invitation.cool-down must be at least 24h");
	}

}
