package dev.tongxing.server.analytics;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** {@link RecentLogins} from {@code analytics_login_hour} and this node's counts not yet flushed. */
@Component
class RecentLoginQueries implements RecentLogins {

	private final JdbcClient jdbc;

	private final LoginAnalytics analytics;

	private final AnalyticsProperties properties;

	private final Clock clock;

	RecentLoginQueries(JdbcClient jdbc, LoginAnalytics analytics, AnalyticsProperties properties, Clock clock) {
		this.jdbc = jdbc;
		this.analytics = analytics;
		this.properties = properties;
		this.clock = clock;
	}

	@Override
	public Window lastHours(int hours) {
		if (hours < 1 || hours > 24 * 31) {
			throw new IllegalArgumentException("hours: 1 to 744");
		}
		Instant now = this.clock.instant();
		Instant since = now.minus(Duration.ofHours(hours)).truncatedTo(ChronoUnit.HOURS);
		Map<String, long[]> totals = new TreeMap<>();
		this.jdbc.sql("""
				SELECT method, SUM(attempts) AS a, SUM(successes) AS s FROM analytics_login_hour
				WHERE hour_start >= :since GROUP BY method""")
			.param("since", RollupStore.utc(since))
			.query(rs -> {
				long[] t = totals.computeIfAbsent(rs.getString("method"), k -> new long[2]);
				t[0] += rs.getLong("a");
				t[1] += rs.getLong("s");
			});
		// read after the table: a flush drains this node's counts before it commits them, so one running meanwhile
		// may leave its counts out of this answer, never in it twice
		this.analytics.unflushedByMethod(since).forEach((method, t) -> {
			long[] sum = totals.computeIfAbsent(method, k -> new long[2]);
			sum[0] += t[0];
			sum[1] += t[1];
		});
		double target = this.properties.successTarget();
		List<MethodLogins> methods = new ArrayList<>();
		long attempts = 0;
		long successes = 0;
		for (Map.Entry<String, long[]> e : totals.entrySet()) {
			long a = e.getValue()[0];
			long s = e.getValue()[1];
			attempts += a;
			successes += s;
			Double rate = a == 0 ? null : AnalyticsQueries.round((double) s / a);
			methods.add(new MethodLogins(e.getKey(), a, s, rate, rate != null && rate < target));
		}
		methods.sort(Comparator.comparingLong(MethodLogins::attempts).reversed().thenComparing(MethodLogins::method));
		return new Window(since, now, List.copyOf(methods), attempts, successes,
				attempts == 0 ? null : AnalyticsQueries.round((double) successes / attempts));
	}

	@Override
	public double successTarget() {
		return this.properties.successTarget();
	}

}
