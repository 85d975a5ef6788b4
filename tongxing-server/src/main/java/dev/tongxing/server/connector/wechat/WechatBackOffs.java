package dev.tongxing.server.connector.wechat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The WeChat APIs backed off after WeChat's own quota errors, in {@code wechat_quota_back_off}: every node sees a
 * back-off within {@link #REFRESH} (at once on the node that started it), it outlives a restart, and an
 * operator can lift it (after WeChat's support reset the quota, say). If the database cannot be read, the
 * last known back-offs hold: a failure here must never fail a login by itself.
 */
public class WechatBackOffs {

	private static final Logger log = LoggerFactory.getLogger(WechatBackOffs.class);

	/** How stale this node's view of the other nodes' back-offs may be. */
	static final Duration REFRESH = Duration.ofSeconds(1);

	/** One backed-off API of an app. */
	public record BackOff(String appid, String api, Instant until, int errcode, Instant startedAt) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private volatile Map<String, BackOff> known = Map.of();

	/** When this node last read the table, by the gateway's clock (null: never). */
	private volatile Instant readAt;

	WechatBackOffs(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** The back-off holding for this API of this app now, if any. */
	BackOff holding(String appid, String api) {
		refreshIfStale();
		BackOff backOff = this.known.get(key(appid, api));
		return backOff != null && backOff.until().isAfter(this.clock.instant()) ? backOff : null;
	}

	/** Starts (or extends) a back-off; never shortens one that holds longer. */
	void start(String appid, String api, Instant until, int errcode) {
		Instant now = this.clock.instant();
		try {
			// back-offs long over go first (rare: only when WeChat says a quota is spent)
			this.jdbc.sql("DELETE FROM wechat_quota_back_off WHERE until_at < :old")
				.param("old", utc(now.minus(Duration.ofDays(2))))
				.update();
			int extended = this.jdbc.sql("""
					UPDATE wechat_quota_back_off SET until_at = :until, errcode = :errcode, started_at = :now
					WHERE appid = :appid AND api = :api AND until_at < :until""")
				.param("until", utc(until))
				.param("errcode", errcode)
				.param("now", utc(now))
				.param("appid", appid)
				.param("api", api)
				.update();
			if (extended == 0) {
				try {
					this.jdbc.sql("""
							INSERT INTO wechat_quota_back_off (appid, api, until_at, errcode, started_at)
							VALUES (:appid, :api, :until, :errcode, :now)""")
						.param("appid", appid)
						.param("api", api)
						.param("until", utc(until))
						.param("errcode", errcode)
						.param("now", utc(now))
						.update();
				}
				catch (org.springframework.dao.DuplicateKeyException alreadyThere) {
					// another node (or an earlier error) holds one at least as long
				}
			}
		}
		catch (RuntimeException ex) {
			log.warn("Could not share a WeChat back-off with the other nodes: {}", ex.toString());
		}
		Map<String, BackOff> next = new ConcurrentHashMap<>(this.known);
		next.merge(key(appid, api), new BackOff(appid, api, until, errcode, now),
				(old, fresh) -> old.until().isAfter(fresh.until()) ? old : fresh);
		this.known = Map.copyOf(next);
	}

	/** Every back-off that holds now, oldest first. */
	public List<BackOff> list() {
		read();
		Instant now = this.clock.instant();
		return this.known.values().stream().filter(b -> b.until().isAfter(now))
			.sorted(java.util.Comparator.comparing(BackOff::startedAt)).toList();
	}

	/** Lifts every back-off of the app; how many held. */
	public int lift(String appid) {
		int holding = this.jdbc.sql("SELECT COUNT(*) FROM wechat_quota_back_off WHERE appid = :appid AND until_at > :now")
			.param("appid", appid)
			.param("now", utc(this.clock.instant()))
			.query(Integer.class)
			.single();
		this.jdbc.sql("DELETE FROM wechat_quota_back_off WHERE appid = :appid").param("appid", appid).update();
		read();
		return holding;
	}

	private void refreshIfStale() {
		Instant last = this.readAt;
		// either way: a clock set back (tests do) must not freeze the view
		if (last == null || Duration.between(last, this.clock.instant()).abs().compareTo(REFRESH) >= 0) {
			read();
		}
	}

	private synchronized void read() {
		try {
			Instant now = this.clock.instant();
			Map<String, BackOff> read = new ConcurrentHashMap<>();
			this.jdbc.sql("SELECT appid, api, until_at, errcode, started_at FROM wechat_quota_back_off WHERE until_at > :now")
				.param("now", utc(now))
				.query((rs, i) -> new BackOff(rs.getString(1), rs.getString(2),
						rs.getObject(3, OffsetDateTime.class).toInstant(), rs.getInt(4),
						rs.getObject(5, OffsetDateTime.class).toInstant()))
				.list()
				.forEach(b -> read.put(key(b.appid(), b.api()), b));
			this.known = Map.copyOf(read);
		}
		catch (RuntimeException ex) {
			log.warn("Could not read the WeChat back-offs (the last known ones hold): {}", ex.toString());
		}
		this.readAt = this.clock.instant();
	}

	private static String key(String appid, String api) {
		return appid + "|" + api;
	}

	private static OffsetDateTime utc(Instant instant) {
		return instant.atOffset(ZoneOffset.UTC);
	}

}
