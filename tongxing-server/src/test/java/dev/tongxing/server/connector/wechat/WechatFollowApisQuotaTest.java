package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.ratelimit.LocalBuckets;
import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.WechatEmulatorOptions;
import dev.tongxing.wechat.emulator.quota.QuotaRule;
import io.github.bucket4j.TimeMeter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.springframework.jdbc.core.simple.JdbcClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The official account's {@code cgi-bin/qrcode/create} and {@code cgi-bin/user/info} (follow-to-sign-in) go through
 * the app's quota budget like every WeChat API the gateway calls, against the emulator: a daily budget of ours stops
 * the call before WeChat sees it, and WeChat's own 45009 backs the API off.
 */
class WechatFollowApisQuotaTest {

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final JdbcClient database = WechatQuotaTest.database();

	WechatQuota quota(WechatQuotaProperties properties) {
		return new WechatQuota(new LocalBuckets(TimeMeter.SYSTEM_NANOTIME), new WechatBackOffs(this.database, Clock.systemUTC()),
				properties, Clock.systemUTC(), this.meters, new WechatQuota.Incidents() {
					@Override
					public void open(String component) {
					}

					@Override
					public void resolve(String component) {
					}
				});
	}


	static final String OA = DefaultFixture.OFFICIAL_ACCOUNT_APPID;

	final WechatEmulator emulator = WechatEmulator.start(WechatEmulatorOptions.defaults());

	@AfterEach
	void stopEmulator() {
		this.emulator.close();
	}

	WechatApiClient client(WechatQuota quota) {
		return new WechatApiClient(this.emulator.baseUrl(), Duration.ofSeconds(2), UpstreamCalls.withDefaults(), quota);
	}

	String appToken(WechatApiClient api) {
		return api.stableToken(new WechatApp(OA, WechatAppKind.OFFICIAL_ACCOUNT, DefaultFixture.OFFICIAL_ACCOUNT_SECRET))
			.accessToken();
	}

	@Test
	void qrcodeCreateIsBudgetedAndStopsBeforeWechatOnceTheDailyBudgetIsSpent() {
		WechatQuota quota = quota(new WechatQuotaProperties(100, Map.of("qrcode-create", 2L), Map.of(), Duration.ZERO, 0.2, 100));
		WechatApiClient api = client(quota);
		String token = appToken(api);
		WechatApiClient.QrCode code = api.qrCode(OA, token, "scene-1", 300);
		assertThat(code.ticket()).startsWith("gQ");
		assertThat(code.expireSeconds()).isEqualTo(300);
		assertThat(code.url()).contains("/q/");
		api.qrCode(OA, token, "scene-2", 300);
		assertThatThrownBy(() -> api.qrCode(OA, token, "scene-3", 300)).isInstanceOf(WechatQuota.QuotaRefusal.class)
			.hasMessageContaining("daily budget of 2");
		assertThat(this.emulator.control().requests("/cgi-bin/qrcode/create")).hasSize(2);
		assertThat(this.meters.find("tongxing_wechat_quota_total").tag("app", OA).tag("api", "qrcode-create")
			.tag("outcome", "served").counter().count()).isEqualTo(2);
	}

	@Test
	void userInfoIsBudgetedAndWechatsDailyQuotaBacksItOff() {
		WechatQuota quota = quota(new WechatQuotaProperties(100, Map.of(), Map.of(), Duration.ZERO, 0.2, 100));
		WechatApiClient api = client(quota);
		String token = appToken(api);
		String openid = this.emulator.control().openid(OA, DefaultFixture.CHEN);
		this.emulator.control().addQuota(QuotaRule.of(OA, "user-info").total(1));
		WechatApiClient.Follower follower = api.follower(OA, token, openid);
		assertThat(follower.subscribed()).isTrue();
		assertThat(follower.unionid()).isEqualTo(this.emulator.control().unionid(OA, DefaultFixture.CHEN));
		assertThatThrownBy(() -> api.follower(OA, token, openid)).isInstanceOf(WechatApiException.class)
			.hasMessageContaining("45009");
		// backing off now: the next call does not reach WeChat
		int sent = this.emulator.control().requests("/cgi-bin/user/info").size();
		assertThatThrownBy(() -> api.follower(OA, token, openid)).isInstanceOf(WechatQuota.QuotaRefusal.class)
			.hasMessageContaining("backing off");
		assertThat(this.emulator.control().requests("/cgi-bin/user/info")).hasSize(sent);
	}

}
