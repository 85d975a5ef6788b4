package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import dev.tongxing.wechat.emulator.quota.QuotaRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The quota budget in the running gateway against the emulator enforcing a quota of its own: logins keep
 * going while profile calls give way, and WeChat's per-minute limit stops the gateway calling, visibly.
 */
class WechatQuotaGatewayTest extends GatewayTest {

	/** Half the emulator's 10 a second: a token bucket lets through up to twice its rate in one fixed second. */
	@DynamicPropertySource
	static void budget(DynamicPropertyRegistry registry) {
		registry.add("tongxing.wechat.quota.apps." + DefaultFixture.WEBSITE_APPID + ".calls-per-second", () -> 5);
		registry.add("tongxing.wechat.quota.login-wait", () -> "3s");
	}

	@Autowired
	WechatEmulator emulator;

	@Autowired
	LoginEvents events;

	@Autowired
	MutableClock clock;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	WechatBackOffs backOffs;

	@AfterEach
	void reset() {
		this.emulator.control().clearFaults();
		this.emulator.control().clearQuotas();
		this.emulator.control().clearQuotaUsage(null);
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.reset();
		// a back-off ends at the next minute of the clock just set back: lifted, as an operator may
		this.backOffs.lift(DefaultFixture.WEBSITE_APPID);
	}

	/** One website QR login up to the gateway's callback: where the callback sends the browser. */
	String login(String user) {
		TestBrowser browser = browser();
		OAuthClient oauth = new OAuthClient(this.issuer);
		browser.follow(browser.get(oauth.authorizeUri(OAuthClient.authorizeParams("live-web",
				"http://127.0.0.1:3000/callback", "openid profile", Pkce.create())).toString()), null);
		URI wechat = URI.create(browser.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, user, "snsapi_login");
		HttpResponse<String> back = browser
			.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state"));
		return back.headers().firstValue("Location").orElse("HTTP " + back.statusCode());
	}

	static final List<String> PEOPLE = List.of(DefaultFixture.ALICE, DefaultFixture.BOB, "chen", "dora", "sam", "eve");

	static String person(int i) {
		return PEOPLE.get(i % PEOPLE.size());
	}

	HttpResponse<String> admin(String method, String path) {
		try {
			return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(URI.create(this.issuer + path))
				.method(method, java.net.http.HttpRequest.BodyPublishers.noBody())
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new AssertionError(ex);
		}
	}

	@Test
	void profileCallsGiveWayAndEveryLoginGetsThroughAQuotaOfTenASecond() {
		this.emulator.control().addQuota(QuotaRule.of(DefaultFixture.WEBSITE_APPID, "*").perSecond(10));
		this.emulator.control().clearRequests();
		int before = this.events.size();
		for (int i = 0; i < 12; i++) {
			assertThat(login(person(i))).doesNotContain("error=");
		}
		List<LoginAttempted> logins = this.events.since(before);
		assertThat(logins).hasSize(12).allSatisfy(event -> assertThat(event.success()).isTrue());
		int exchanges = this.emulator.control().requests("/sns/oauth2/access_token").size();
		int profiles = this.emulator.control().requests("/sns/userinfo").size();
		assertThat(exchanges).isEqualTo(12);
		// the profile was asked for only while the budget had room to spare
		assertThat(profiles).isLessThan(12);
		// and WeChat never had to refuse a call
		assertThat(this.emulator.control().requests(e -> e.errcode() != null && e.errcode() == 45011)).isEmpty();
	}

	@Test
	void wechatsPerMinuteLimitStopsTheCodeExchangeUntilTheNextMinute() {
		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 45011, 1.0));
		assertThat(login(DefaultFixture.BOB)).endsWith("/login?error=wechat.unavailable");
		this.emulator.control().clearFaults();
		this.emulator.control().clearRequests();

		// WeChat would answer now, but the gateway does not ask it within the minute: the person is offered
		// another way in, and the operators read why
		assertThat(login(DefaultFixture.BOB)).endsWith("/login?error=wechat.unavailable");
		assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).isEmpty();
		LoginAttempted refused = this.events.all().getLast();
		assertThat(refused.cause()).isEqualTo(LoginFailureCause.UPSTREAM_QUOTA);
		assertThat(refused.upstreamError()).isEqualTo("/sns/oauth2/access_token quota");
		assertThat(browser().get("/login?error=wechat.unavailable").body()).contains("data-provider=\"phone\"");

		// operators see the back-off, and may lift it
		HttpResponse<String> listed = admin("GET", "/admin/api/ops/wechat-quota");
		assertThat(listed.statusCode()).isEqualTo(200);
		assertThat(listed.body()).contains("\"appid\":\"" + DefaultFixture.WEBSITE_APPID + "\"")
			.contains("\"api\":\"code-exchange\"").contains("\"errcode\":45011")
			.contains("\"calls_per_second\":5");
		assertThat(admin("DELETE", "/admin/api/ops/wechat-quota/wx-nobody/back-offs").statusCode()).isEqualTo(404);

		// or it ends by itself at the next minute
		this.clock.advance(Duration.ofSeconds(61));
		assertThat(login(DefaultFixture.BOB)).doesNotContain("error=");
		assertThat(admin("GET", "/admin/api/ops/wechat-quota").body()).contains("\"back_offs\":[]");

		this.emulator.control().addFault(FaultRule.errcode("/sns/oauth2/access_token", 45011, 1.0));
		login(DefaultFixture.BOB);
		this.emulator.control().clearFaults();
		HttpResponse<String> lifted = admin("DELETE", "/admin/api/ops/wechat-quota/" + DefaultFixture.WEBSITE_APPID
				+ "/back-offs");
		assertThat(lifted.statusCode()).isEqualTo(200);
		assertThat(lifted.body()).contains("\"lifted\":1");
		assertThat(login(DefaultFixture.BOB)).doesNotContain("error=");
	}

}
