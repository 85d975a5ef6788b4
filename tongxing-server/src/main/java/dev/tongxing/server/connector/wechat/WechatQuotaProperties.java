package dev.tongxing.server.connector.wechat;

import java.time.Duration;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code tongxing.wechat.quota.*}: the budget the gateway keeps of each WeChat app's quota, so that it never
 * runs into WeChat's limits unseen.
 *
 * @param callsPerSecond calls each app may make per second, all APIs together (its partner tier at WeChat;
 * the default is WeChat's documented 50,000 a minute for the login APIs)
 * @param callsPerDay calls per day per API where WeChat counts them, by API name ({@code code-exchange},
 * {@code userinfo}, {@code jscode2session}, {@code stable-token}, {@code phone-number}, {@code qrcode-create},
 * {@code user-info}), on top of the default
 * {@code stable-token: 500000} (WeChat's documented figure); an API not named has no daily budget of ours
 * @param apps per app id: its own {@code calls-per-second} and {@code calls-per-day}, replacing the defaults
 * @param loginWait how long a login's call may wait for room in the budget before the login fails with
 * {@code upstream_quota}
 * @param optionalReserve the share of a second's budget that optional calls (the profile, the probes) leave to
 * logins: they are shed as soon as less than this is left
 * @param incidentAfter calls refused by the budget or a back-off in one minute, on one node, that open an
 * incident (resolved by itself after five minutes without any)
 */
@ConfigurationProperties("tongxing.wechat.quota")
public record WechatQuotaProperties(@DefaultValue("800") int callsPerSecond,
		@DefaultValue Map<String, Long> callsPerDay, @DefaultValue Map<String, App> apps,
		@DefaultValue("2s") Duration loginWait, @DefaultValue("0.2") double optionalReserve,
		@DefaultValue("20") int incidentAfter) {

	/** WeChat's documented daily quotas (protocol reference §11); the others are not published. */
	static final Map<String, Long> DEFAULT_CALLS_PER_DAY = Map.of("stable-token", 500_000L);

	public WechatQuotaProperties {
		if (callsPerSecond < 1) {
			throw new IllegalArgumentException("tongxing.wechat.quota.calls-per-second must be at least 1");
		}
		if (optionalReserve < 0 || optionalReserve >= 1) {
			throw new IllegalArgumentException("tongxing.wechat.quota.optional-reserve must be at least 0 and below 1");
		}
		if (loginWait.isNegative()) {
			throw new IllegalArgumentException("tongxing.wechat.quota.login-wait must not be negative");
		}
		if (incidentAfter < 1) {
			throw new IllegalArgumentException("tongxing.wechat.quota.incident-after must be at least 1");
		}
		validate("tongxing.wechat.quota.calls-per-day", callsPerDay);
		Map<String, Long> merged = new java.util.LinkedHashMap<>(DEFAULT_CALLS_PER_DAY);
		merged.putAll(callsPerDay);
		callsPerDay = Map.copyOf(merged);
		apps.forEach((appid, app) -> {
			if (app.callsPerSecond() != null && app.callsPerSecond() < 1) {
				throw new IllegalArgumentException("tongxing.wechat.quota.apps." + appid + ".calls-per-second must be at least 1");
			}
			if (app.callsPerDay() != null) {
				validate("tongxing.wechat.quota.apps." + appid + ".calls-per-day", app.callsPerDay());
			}
		});
	}

	private static void validate(String key, Map<String, Long> perDay) {
		perDay.forEach((api, calls) -> {
			if (WechatQuota.Api.named(api) == null) {
				throw new IllegalArgumentException(key + " names an unknown API '" + api + "' (one of "
						+ WechatQuota.Api.names() + ")");
			}
			if (calls == null || calls < 1) {
				throw new IllegalArgumentException(key + "." + api + " must be at least 1");
			}
		});
	}

	/** An app's calls per second. */
	int callsPerSecond(String appid) {
		App app = this.apps.get(appid);
		return app != null && app.callsPerSecond() != null ? app.callsPerSecond() : this.callsPerSecond;
	}

	/** An app's calls per day to an API, or 0 for no daily budget. */
	long callsPerDay(String appid, WechatQuota.Api api) {
		App app = this.apps.get(appid);
		Map<String, Long> perDay = app != null && app.callsPerDay() != null ? app.callsPerDay() : this.callsPerDay;
		Long calls = perDay.get(api.key);
		return calls == null ? 0 : calls;
	}

	/**
	 * @param callsPerSecond replaces {@code tongxing.wechat.quota.calls-per-second} for this app
	 * @param callsPerDay replaces {@code tongxing.wechat.quota.calls-per-day} for this app (all of it)
	 */
	public record App(Integer callsPerSecond, Map<String, Long> callsPerDay) {
	}

}
