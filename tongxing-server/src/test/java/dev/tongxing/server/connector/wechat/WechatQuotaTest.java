package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.ratelimit.Buckets;
import dev.tongxing.server.ratelimit.LocalBuckets;
import dev.tongxing.server.ratelimit.RateLimitProperties;
import dev.tongxing.server.ratelimit.RedisBuckets;
import io.github.bucket4j.TimeMeter;
import io.lettuce.core.RedisURI;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The budget of each WeChat app's quota on its own, in memory and on the machine's Redis: logins first,
 * optional calls shed, WeChat's quota errors backing an API off on every node, incidents past a threshold.
 */
class WechatQuotaTest {

	static final String APP = "wx-app-" + UUID.randomUUID();

	static final String CODE = "/sns/oauth2/access_token";

	static final String USERINFO = "/sns/userinfo";

	/** A clock that stands still until the test moves it. */
	static final class HeldClock extends Clock {

		private final AtomicReference<Instant> now = new AtomicReference<>(Instant.now());

		void advance(Duration duration) {
			this.now.updateAndGet(t -> t.plus(duration));
		}

		void set(Instant instant) {
			this.now.set(instant);
		}

		@Override
		public Instant instant() {
			return this.now.get();
		}

		@Override
		public ZoneId getZone() {
			return ZoneOffset.UTC;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return this;
		}

	}

	final HeldClock clock = new HeldClock();

	/** The buckets' time is the clock's: it stands still unless the test moves it. */
	final TimeMeter time = new TimeMeter() {
		@Override
		public long currentTimeNanos() {
			return WechatQuotaTest.this.clock.instant().getEpochSecond() * 1_000_000_000L
					+ WechatQuotaTest.this.clock.instant().getNano();
		}

		@Override
		public boolean isWallClockBased() {
			return true;
		}
	};

	final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	final List<String> incidents = new ArrayList<>();

	/** The back-offs' table, in a database of this test's own (one per node would defeat the point). */
	final JdbcClient database = database();

	static JdbcClient database() {
		JdbcDataSource source = new JdbcDataSource();
		source.setURL("jdbc:h2:mem:wechat-quota-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
		JdbcClient jdbc = JdbcClient.create(source);
		try (var in = WechatQuotaTest.class.getResourceAsStream("/db/migration/V250__wechat_quota_back_off.sql")) {
			String sql = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
				.replaceAll("(?m)^--.*$", "");
			jdbc.sql(sql).update();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
		return jdbc;
	}

	WechatQuota quota(Buckets buckets, WechatQuotaProperties properties) {
		return new WechatQuota(buckets, new WechatBackOffs(this.database, this.clock), properties, this.clock, this.meters, new WechatQuota.Incidents() {
			@Override
			public void open(String component) {
				WechatQuotaTest.this.incidents.add("open " + component);
			}

			@Override
			public void resolve(String component) {
				WechatQuotaTest.this.incidents.add("resolve " + component);
			}
		});
	}

	static WechatQuotaProperties properties(int perSecond, Map<String, Long> perDay, Duration loginWait,
			int incidentAfter) {
		return new WechatQuotaProperties(perSecond, perDay, Map.of(), loginWait, 0.2, incidentAfter);
	}

	double count(String api, String outcome) {
		var counter = this.meters.find("tongxing_wechat_quota_total").tag("app", APP).tag("api", api)
			.tag("outcome", outcome).counter();
		return counter == null ? 0 : counter.count();
	}

	static WechatQuota.QuotaRefusal refusal(Runnable call) {
		try {
			call.run();
		}
		catch (WechatQuota.QuotaRefusal refusal) {
			return refusal;
		}
		throw new AssertionError("the call was let through");
	}

	@Test
	void loginsWaitForRoomUpToTheirDeadlineThenFailWithUpstreamQuota() {
		WechatQuota quota = quota(new LocalBuckets(this.time), properties(10, Map.of(), Duration.ofMillis(200), 100));
		for (int i = 0; i < 10; i++) {
			quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		}
		long start = System.nanoTime();
		WechatQuota.QuotaRefusal refused = refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
		assertThat(refused.reason()).isEqualTo(WechatUnavailableException.Reason.QUOTA);
		assertThat(refused.shed()).isFalse();
		assertThat(WechatFailures.cause(refused)).isEqualTo(LoginFailureCause.UPSTREAM_QUOTA);
		assertThat(WechatFailures.detail(refused)).isEqualTo(CODE + " quota");
		assertThat(count("code-exchange", "served")).isEqualTo(10);
		assertThat(count("code-exchange", "refused")).isEqualTo(1);

		// a tenth of a second later one call is back, and a waiting login gets it
		this.clock.advance(Duration.ofMillis(100));
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		// other apps have budgets of their own
		quota.acquire("wx-other-" + UUID.randomUUID(), CODE, WechatQuota.Priority.LOGIN);
	}

	@Test
	void optionalCallsAreShedBeforeALoginWouldWait() {
		WechatQuota quota = quota(new LocalBuckets(this.time), properties(10, Map.of(), Duration.ZERO, 100));
		int served = 0;
		for (int i = 0; i < 10; i++) {
			try {
				quota.acquire(APP, USERINFO, WechatQuota.Priority.OPTIONAL);
				served++;
			}
			catch (WechatQuota.QuotaRefusal refusal) {
				assertThat(refusal.shed()).isTrue();
			}
		}
		// a fifth of the second's budget is kept for logins
		assertThat(served).isEqualTo(8);
		assertThat(count("userinfo", "shed")).isEqualTo(2);
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		assertThat(refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN)).shed()).isFalse();
		assertThat(this.incidents).isEmpty(); // shedding is the budget working, not trouble
	}

	@Test
	void aPerMinuteLimitFromWechatBacksThatApiOffUntilTheNextMinute() {
		WechatQuota quota = quota(new LocalBuckets(this.time), properties(100, Map.of(), Duration.ZERO, 100));
		quota.answered(APP, CODE, WechatQuota.PER_MINUTE_LIMIT);
		assertThat(refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN)).getMessage())
			.contains("backing off");
		quota.acquire(APP, USERINFO, WechatQuota.Priority.OPTIONAL); // another API of the app is not affected
		assertThat(count("code-exchange", "back-off-started")).isEqualTo(1);
		assertThat(count("code-exchange", "backing-off")).isEqualTo(1);
		// until the next minute, as WeChat says
		long secondOfMinute = this.clock.instant().getEpochSecond() % 60;
		if (secondOfMinute < 59) {
			this.clock.advance(Duration.ofSeconds(58 - secondOfMinute));
			refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
		}
		this.clock.advance(Duration.ofSeconds(2));
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		// errors that are not about quotas change nothing
		quota.answered(APP, CODE, 40029);
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
	}

	@Test
	void aDailyQuotaFromWechatBacksOffUntilTheNextDayInBeijing() {
		ZoneId beijing = ZoneId.of("Asia/Shanghai");
		// at 10:00 in Beijing, so the hour below never crosses midnight there (run at 23:40 it would)
		this.clock.set(LocalDate.now(beijing).atTime(10, 0).atZone(beijing).toInstant());
		WechatQuota quota = quota(new LocalBuckets(this.time), properties(100, Map.of(), Duration.ZERO, 100));
		quota.answered(APP, CODE, WechatQuota.DAILY_QUOTA);
		this.clock.advance(Duration.ofHours(1));
		refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), beijing);
		this.clock.advance(Duration.between(this.clock.instant(), today.plusDays(1).atStartOfDay(beijing).toInstant()));
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
	}

	@Test
	void aDailyBudgetOfOursStopsCallsBeforeWechatWould() {
		WechatQuota quota = quota(new LocalBuckets(this.time),
				properties(100, Map.of("phone-number", 3L), Duration.ZERO, 100));
		for (int i = 0; i < 3; i++) {
			quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN);
		}
		assertThat(refusal(() -> quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN))
			.getMessage()).contains("daily budget of 3");
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		assertThat(new WechatQuotaProperties(1, Map.of(), Map.of(), Duration.ZERO, 0.2, 1).callsPerDay(APP,
				WechatQuota.Api.STABLE_TOKEN)).isEqualTo(500_000);
	}

	@Test
	void whatIsLeftOfADailyBudgetIsExportedForTheAlertOnAQuotaNearItsEnd() {
		WechatQuota quota = quota(new LocalBuckets(this.time),
				properties(100, Map.of("phone-number", 4L), Duration.ZERO, 100));
		assertThat(this.meters.find("tongxing_wechat_quota_day_remaining").gauge()).isNull();
		quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN);
		assertThat(dayGauge("tongxing_wechat_quota_day_limit", "phone-number")).isEqualTo(4);
		assertThat(dayGauge("tongxing_wechat_quota_day_remaining", "phone-number")).isEqualTo(3);
		quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN);
		quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN);
		quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN);
		assertThat(dayGauge("tongxing_wechat_quota_day_remaining", "phone-number")).isZero();
		refusal(() -> quota.acquire(APP, "/wxa/business/getuserphonenumber", WechatQuota.Priority.LOGIN));
		assertThat(dayGauge("tongxing_wechat_quota_day_remaining", "phone-number")).isZero();
		// an API without a daily budget has no such gauge
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		assertThat(this.meters.find("tongxing_wechat_quota_day_limit").tag("api", "code-exchange").gauge()).isNull();
	}

	double dayGauge(String name, String api) {
		return this.meters.find(name).tag("app", APP).tag("api", api).gauge().value();
	}

	@Test
	void refusalsPastTheThresholdOpenAnIncidentThatResolvesItself() {
		WechatQuota quota = quota(new LocalBuckets(this.time), properties(1, Map.of(), Duration.ZERO, 3));
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		for (int i = 0; i < 3; i++) {
			refusal(() -> quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
		}
		assertThat(this.incidents).containsExactly("open wechat-quota:" + APP);
		this.clock.advance(Duration.ofMinutes(5));
		quota.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		assertThat(this.incidents).containsExactly("open wechat-quota:" + APP, "resolve wechat-quota:" + APP);
	}

	@Test
	void badConfigurationIsRefusedWithTheKeyToFix() {
		assertThatThrownBy(() -> properties(100, Map.of("code-exchnage", 5L), Duration.ZERO, 1))
			.hasMessageContaining("tongxing.wechat.quota.calls-per-day names an unknown API 'code-exchnage'");
		assertThatThrownBy(() -> properties(0, Map.of(), Duration.ZERO, 1))
			.hasMessageContaining("tongxing.wechat.quota.calls-per-second");
		assertThatThrownBy(() -> new WechatQuotaProperties(10, Map.of(), Map.of(APP, new WechatQuotaProperties.App(0, null)),
				Duration.ZERO, 0.2, 1)).hasMessageContaining("tongxing.wechat.quota.apps." + APP + ".calls-per-second");
	}

	@Test
	void twoNodesShareOneBudgetOnRedisAndEveryBackOffThroughTheDatabase() throws Exception {
		RateLimitProperties limits = new RateLimitProperties(true, Map.of(), RateLimitProperties.RedisUnavailable.LOCAL,
				Duration.ofMillis(500), "tongxing-test:" + UUID.randomUUID(), -1);
		RedisURI redis = RedisURI.create("127.0.0.1", 6379);
		try (RedisBuckets one = new RedisBuckets(redis, limits, null, this.meters, this.time);
				RedisBuckets two = new RedisBuckets(redis, limits, null, this.meters, this.time)) {
			WechatQuota nodeOne = quota(one, properties(5, Map.of(), Duration.ZERO, 100));
			WechatQuota nodeTwo = quota(two, properties(5, Map.of(), Duration.ZERO, 100));
			assertThat(one.shared()).isTrue();
			// one budget for both nodes, not one each
			for (int i = 0; i < 5; i++) {
				(i % 2 == 0 ? nodeOne : nodeTwo).acquire(APP, CODE, WechatQuota.Priority.LOGIN);
			}
			refusal(() -> nodeTwo.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
			this.clock.advance(Duration.ofSeconds(2));
			nodeTwo.acquire(APP, USERINFO, WechatQuota.Priority.OPTIONAL);
			nodeOne.answered(APP, USERINFO, WechatQuota.PER_MINUTE_LIMIT);
			refusal(() -> nodeOne.acquire(APP, USERINFO, WechatQuota.Priority.OPTIONAL)); // at once where it began
			this.clock.advance(WechatBackOffs.REFRESH); // the other node reads the back-offs again
			refusal(() -> nodeTwo.acquire(APP, USERINFO, WechatQuota.Priority.OPTIONAL));
			nodeTwo.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
		}
	}

	@Test
	void aBackOffOutlivesARestartAndAnOperatorCanLiftIt() {
		WechatQuota before = quota(new LocalBuckets(this.time), properties(100, Map.of(), Duration.ZERO, 100));
		before.answered(APP, CODE, WechatQuota.DAILY_QUOTA);
		WechatBackOffs restarted = new WechatBackOffs(this.database, this.clock);
		assertThat(restarted.list()).singleElement().satisfies(b -> {
			assertThat(b.appid()).isEqualTo(APP);
			assertThat(b.api()).isEqualTo("code-exchange");
			assertThat(b.errcode()).isEqualTo(45009);
		});
		WechatQuota after = quota(new LocalBuckets(this.time), properties(100, Map.of(), Duration.ZERO, 100));
		refusal(() -> after.acquire(APP, CODE, WechatQuota.Priority.LOGIN));
		assertThat(restarted.lift(APP)).isEqualTo(1);
		assertThat(restarted.list()).isEmpty();
		this.clock.advance(WechatBackOffs.REFRESH); // the restarted node's view was read before the lift
		after.acquire(APP, CODE, WechatQuota.Priority.LOGIN);
	}

}
