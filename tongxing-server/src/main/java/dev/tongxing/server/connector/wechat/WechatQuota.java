package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.ratelimit.Buckets;
import dev.tongxing.server.ratelimit.RequestLimit;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's budget of each WeChat app's quota, kept in the rate limiter's buckets (so for the whole cluster
 * when Redis is configured): calls per second per app, all APIs together, and calls per day per API where
 * WeChat counts them. A login's call waits up to {@code login-wait} for room and then fails with
 * {@code upstream_quota} without calling; optional calls (the profile, the probes) are shed while less than
 * {@code optional-reserve} of a second's budget is left, so logins never queue behind them. When WeChat itself
 * answers 45011 (per-minute limit) or 45009 (daily quota), the gateway backs off that API of that app — every
 * node ({@link WechatBackOffs}), until the next minute or the next day in Beijing — instead of hammering it.
 */
public class WechatQuota {

	private static final Logger log = LoggerFactory.getLogger(WechatQuota.class);

	/** WeChat's quota errors: the per-minute limit and the daily quota. */
	static final int PER_MINUTE_LIMIT = 45011;

	static final int DAILY_QUOTA = 45009;

	/** WeChat's quotas count days in China's time. */
	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	/** WeChat's server APIs that the gateway calls, by their path. */
	public enum Api {

		CODE_EXCHANGE("code-exchange", "/sns/oauth2/access_token"), USERINFO("userinfo", "/sns/userinfo"),
		JSCODE2SESSION("jscode2session", "/sns/jscode2session"), STABLE_TOKEN("stable-token", "/cgi-bin/stable_token"),
		PHONE_NUMBER("phone-number", "/wxa/business/getuserphonenumber"),
		QRCODE_CREATE("qrcode-create", "/cgi-bin/qrcode/create"), USER_INFO("user-info", "/cgi-bin/user/info");

		/** As configuration and metrics name it. */
		final String key;

		final String path;

		Api(String key, String path) {
			this.key = key;
			this.path = path;
		}

		static Api named(String key) {
			return Arrays.stream(values()).filter(api -> api.key.equals(key)).findFirst().orElse(null);
		}

		static Api at(String path) {
			return Arrays.stream(values()).filter(api -> api.path.equals(path)).findFirst().orElse(null);
		}

		static List<String> names() {
			return Arrays.stream(values()).map(api -> api.key).toList();
		}

	}

	/** Whether a person is waiting on the call's answer to sign in. */
	public enum Priority {

		LOGIN, OPTIONAL

	}

	/** How a call fared with the budget, as the metric's {@code outcome} says. */
	enum Outcome {

		SERVED, WAITED, SHED, REFUSED, BACKING_OFF, BACK_OFF_STARTED;

		String tag() {
			return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
		}

	}

	/** Where an app's quota trouble becomes an incident (the ops package's dependency incidents). */
	public interface Incidents {

		void open(String component);

		void resolve(String component);

	}

	/** The incident component of an app's quota. */
	static String component(String appid) {
		return "wechat-quota:" + appid;
	}

	private final Buckets buckets;

	private final WechatBackOffs backOffs;

	private final WechatQuotaProperties properties;

	private final Clock clock;

	private final MeterRegistry meters;

	private final Incidents incidents;

	private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

	private final ConcurrentHashMap<String, DayBudget> dayBudgets = new ConcurrentHashMap<>();

	/** Per app: refusals in the current minute, that minute, and the last refusal (for the incident). */
	private final ConcurrentHashMap<String, Refusals> refusals = new ConcurrentHashMap<>();

	public WechatQuota(Buckets buckets, WechatBackOffs backOffs, WechatQuotaProperties properties, Clock clock,
			MeterRegistry meters, Incidents incidents) {
		this.buckets = buckets;
		this.backOffs = backOffs;
		this.properties = properties;
		this.clock = clock;
		this.meters = meters;
		this.incidents = incidents;
	}

	/**
	 * Takes room for one call, waiting for it up to {@code login-wait} if a person is waiting on it.
	 * @throws WechatUnavailableException with reason {@code QUOTA} when the call must not be made
	 */
	void acquire(String appid, String path, Priority priority) {
		Api api = Api.at(path);
		if (api == null || appid == null) {
			return; // not an API we budget
		}
		LocalDate today = LocalDate.ofInstant(this.clock.instant(), BEIJING);
		WechatBackOffs.BackOff backOff = this.backOffs.holding(appid, api.key);
		if (backOff != null) {
			refuse(appid, api, Outcome.BACKING_OFF, "WeChat said " + path + " of " + appid + " is over its quota ("
					+ backOff.errcode() + "); backing off until " + backOff.until());
		}
		long perDay = this.properties.callsPerDay(appid, api);
		if (perDay > 0 && !this.buckets.hasRoom(dailyKey(appid, api, today), RequestLimit.per(perDay, Duration.ofDays(1)))) {
			dayBudget(appid, api, perDay, 0);
			refuse(appid, api, Outcome.REFUSED, "the daily budget of " + perDay + " calls to " + path + " of " + appid
					+ " is spent");
		}
		int perSecond = this.properties.callsPerSecond(appid);
		RequestLimit second = new RequestLimit(perSecond, perSecond);
		String key = "wechat-quota:" + appid;
		if (priority == Priority.OPTIONAL) {
			long keep = (long) Math.ceil(perSecond * this.properties.optionalReserve());
			if (!this.buckets.takeLeaving(key, second, keep).allowed()) {
				refuse(appid, api, Outcome.SHED, "optional call to " + path + " of " + appid
						+ " shed: the budget is kept for logins");
			}
		}
		else {
			takeWaiting(appid, api, key, second);
		}
		if (perDay > 0) {
			Buckets.Take day = this.buckets.take(dailyKey(appid, api, today), RequestLimit.per(perDay, Duration.ofDays(1)));
			if (!day.unavailable()) {
				dayBudget(appid, api, perDay, day.remaining());
			}
		}
		count(appid, api, Outcome.SERVED);
		settle(appid);
	}

	private void takeWaiting(String appid, Api api, String key, RequestLimit second) {
		long deadline = System.nanoTime() + this.properties.loginWait().toNanos();
		boolean waited = false;
		while (true) {
			Buckets.Take take = this.buckets.take(key, second);
			if (take.allowed()) {
				if (waited) {
					count(appid, api, Outcome.WAITED);
				}
				return;
			}
			long left = deadline - System.nanoTime();
			if (take.unavailable() || left <= 0) {
				refuse(appid, api, Outcome.REFUSED, "no room in the budget of " + second.perPeriod()
						+ " calls a second of " + appid + " within " + this.properties.loginWait());
			}
			waited = true;
			// the bucket says when one call is back; others may take it first, so look again then
			sleep(Math.min(left, Math.max(TimeUnit.MILLISECONDS.toNanos(1), take.nanosToWait())));
		}
	}

	/** What WeChat answered: its quota errors start a back-off of that API on every node. */
	void answered(String appid, String path, int errcode) {
		Api api = Api.at(path);
		if (api == null || appid == null || (errcode != PER_MINUTE_LIMIT && errcode != DAILY_QUOTA)) {
			return;
		}
		Instant now = this.clock.instant();
		// 45011 says "retry next minute"; a daily quota comes back at midnight in China
		Instant until = errcode == PER_MINUTE_LIMIT ? now.truncatedTo(java.time.temporal.ChronoUnit.MINUTES).plusSeconds(60)
				: LocalDate.ofInstant(now, BEIJING).plusDays(1).atStartOfDay(BEIJING).toInstant();
		this.backOffs.start(appid, api.key, until, errcode);
		log.warn("WeChat answered {} for {} of app {}: backing off that API until the next {}", errcode, path, appid,
				errcode == PER_MINUTE_LIMIT ? "minute" : "day (Beijing time)");
		count(appid, api, Outcome.BACK_OFF_STARTED);
		refused(appid);
	}

	private static String dailyKey(String appid, Api api, LocalDate day) {
		return "wechat-quota-day:" + appid + ":" + api.key + ":" + day;
	}

	private void refuse(String appid, Api api, Outcome outcome, String message) {
		count(appid, api, outcome);
		if (outcome != Outcome.SHED) {
			refused(appid);
		}
		throw new QuotaRefusal(api.path, outcome == Outcome.SHED, "WeChat " + message);
	}

	private void count(String appid, Api api, Outcome outcome) {
		this.counters.computeIfAbsent(appid + "|" + api.key + "|" + outcome.tag(),
				k -> Counter.builder("tongxing_wechat_quota_total")
					.description("WeChat calls by how the app's quota budget treated them")
					.tag("app", appid)
					.tag("api", api.key)
					.tag("outcome", outcome.tag())
					.register(this.meters))
			.increment();
	}

	/**
	 * {@code tongxing_wechat_quota_day_remaining{app,api}} and {@code tongxing_wechat_quota_day_limit{app,api}}:
	 * what this node last saw left of a daily budget (the bucket is the cluster's on Redis), for the alert on a
	 * quota near its end. Bound on an API's first budgeted call.
	 */
	private void dayBudget(String appid, Api api, long perDay, long remaining) {
		DayBudget budget = this.dayBudgets.computeIfAbsent(appid + "|" + api.key, k -> {
			DayBudget created = new DayBudget(new AtomicLong(), new AtomicLong());
			Gauge.builder("tongxing_wechat_quota_day_remaining", created.remaining, AtomicLong::get)
				.description("Calls left in the app's daily budget of the API, as this node last saw it")
				.tag("app", appid)
				.tag("api", api.key)
				.register(this.meters);
			Gauge.builder("tongxing_wechat_quota_day_limit", created.limit, AtomicLong::get)
				.description("The app's daily budget of calls to the API (tongxing.wechat.quota.calls-per-day)")
				.tag("app", appid)
				.tag("api", api.key)
				.register(this.meters);
			return created;
		});
		budget.limit.set(perDay);
		budget.remaining.set(Math.max(0, remaining));
	}

	private record DayBudget(AtomicLong remaining, AtomicLong limit) {
	}

	/** A daily budget as this node last saw it. */
	record DaySeen(String appid, String api, long limit, long remaining) {
	}

	/** Every daily budget this node has called since it started (what the gauges export), by app and API. */
	List<DaySeen> daysSeen() {
		return this.dayBudgets.entrySet().stream().map(e -> {
			int bar = e.getKey().indexOf('|');
			return new DaySeen(e.getKey().substring(0, bar), e.getKey().substring(bar + 1), e.getValue().limit.get(),
					e.getValue().remaining.get());
		}).sorted(java.util.Comparator.comparing(DaySeen::appid).thenComparing(DaySeen::api)).toList();
	}

	/** A refusal (or WeChat's own quota error): past the threshold in a minute, an incident. */
	private void refused(String appid) {
		Instant now = this.clock.instant();
		Refusals seen = this.refusals.computeIfAbsent(appid, k -> new Refusals());
		long minute = now.getEpochSecond() / 60;
		long count;
		synchronized (seen) {
			if (seen.minute != minute) {
				seen.minute = minute;
				seen.count.set(0);
			}
			count = seen.count.incrementAndGet();
			seen.last = now;
		}
		if (count == this.properties.incidentAfter()) {
			this.incidents.open(component(appid));
		}
	}

	/** A served call: five minutes after the last refusal, the app's incident (if any) is resolved. */
	private void settle(String appid) {
		Refusals seen = this.refusals.get(appid);
		if (seen != null && seen.last != null
				&& Duration.between(seen.last, this.clock.instant()).compareTo(Duration.ofMinutes(5)) >= 0
				&& this.refusals.remove(appid, seen)) {
			this.incidents.resolve(component(appid));
		}
	}

	private static void sleep(long nanos) {
		try {
			TimeUnit.NANOSECONDS.sleep(nanos);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new WechatUnavailableException("quota", WechatUnavailableException.Reason.QUOTA, "interrupted", ex);
		}
	}

	/** A call not made for the budget's sake. */
	static final class QuotaRefusal extends WechatUnavailableException {

		private final boolean shed;

		QuotaRefusal(String endpoint, boolean shed, String message) {
			super(endpoint, Reason.QUOTA, message, null);
			this.shed = shed;
		}

		/** An optional call given up so logins have room: says nothing about WeChat. */
		boolean shed() {
			return this.shed;
		}

	}

	private static final class Refusals {

		long minute;

		final AtomicLong count = new AtomicLong();

		Instant last;

	}

}
