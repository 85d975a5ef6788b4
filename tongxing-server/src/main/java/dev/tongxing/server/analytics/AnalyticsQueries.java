package dev.tongxing.server.analytics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Answers from the day roll-ups only (never the raw logins, nor the hours: every range is whole days). Days are
 * UTC days; {@code to} is included.
 */
@Component
class AnalyticsQueries {

	enum GroupBy {

		METHOD("method"), APP("app"), CLIENT("client"), PLATFORM("platform"), DAY(null);

		final String column;

		GroupBy(String column) {
			this.column = column;
		}

	}

	record LoginRow(String key, long attempts, long successes, Double successRate, Long p50Ms, Long p95Ms,
			List<CauseCount> causes) {
	}

	record CauseCount(String method, String cause, long failures) {
	}

	record StepRow(String key, long reached, Double rateFromPrevious, Double rateFromFirst) {
	}

	record CohortRow(String key, long people, long eligible1d, long returned1d, long eligible7d, long returned7d,
			long eligible30d, long returned30d) {
	}

	record PeopleRow(String key, long newPeople, long returningPeople) {
	}

	record SmsRow(String key, long sent, BigDecimal pricePerMessage, BigDecimal cost, long phoneSuccesses,
			BigDecimal costPerSuccess) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	private final AnalyticsProperties properties;

	AnalyticsQueries(JdbcClient jdbc, Clock clock, AnalyticsProperties properties) {
		this.jdbc = jdbc;
		this.clock = clock;
		this.properties = properties;
	}

	/** The key SQL of a grouping: a column, or the day. */
	private static String key(GroupBy by) {
		return by == GroupBy.DAY ? "day_start" : by.column;
	}

	private static String keyOf(GroupBy by, java.sql.ResultSet rs) throws java.sql.SQLException {
		return by == GroupBy.DAY ? rs.getObject("k", LocalDate.class).toString() : rs.getString("k");
	}

	List<LoginRow> logins(LocalDate from, LocalDate to, GroupBy by) {
		String k = key(by);
		Map<String, long[]> totals = new TreeMap<>();
		this.jdbc.sql("SELECT " + k + " AS k, SUM(attempts) AS a, SUM(successes) AS s FROM analytics_login_day"
				+ " WHERE day_start >= :f AND day_start <= :t GROUP BY " + k)
			.param("f", from).param("t", to)
			.query(rs -> {
				long[] t = totals.computeIfAbsent(keyOf(by, rs), x -> new long[2]);
				t[0] += rs.getLong("a");
				t[1] += rs.getLong("s");
			});
		Map<String, TreeMap<Integer, Long>> bins = new LinkedHashMap<>();
		this.jdbc.sql("SELECT " + k + " AS k, bin, SUM(samples) AS n FROM analytics_latency_day"
				+ " WHERE day_start >= :f AND day_start <= :t GROUP BY " + k + ", bin")
			.param("f", from).param("t", to)
			.query(rs -> {
				bins.computeIfAbsent(keyOf(by, rs), x -> new TreeMap<>()).merge(rs.getInt("bin"), rs.getLong("n"), Long::sum);
			});
		Map<String, Map<String, CauseCount>> causes = new LinkedHashMap<>();
		this.jdbc.sql("SELECT " + k + " AS k, method, cause, SUM(failures) AS n FROM analytics_cause_day"
				+ " WHERE day_start >= :f AND day_start <= :t GROUP BY " + k + ", method, cause")
			.param("f", from).param("t", to)
			.query(rs -> {
				String method = rs.getString("method");
				String cause = rs.getString("cause");
				causes.computeIfAbsent(keyOf(by, rs), x -> new LinkedHashMap<>())
					.merge(method + "|" + cause, new CauseCount(method, cause, rs.getLong("n")),
							(a, b) -> new CauseCount(method, cause, a.failures() + b.failures()));
			});
		List<LoginRow> rows = new ArrayList<>();
		totals.forEach((key, t) -> {
			TreeMap<Integer, Long> hist = bins.getOrDefault(key, new TreeMap<>());
			List<CauseCount> top = causes.getOrDefault(key, Map.of()).values().stream()
				.sorted(java.util.Comparator.comparingLong(CauseCount::failures).reversed()
					.thenComparing(CauseCount::cause))
				.limit(this.properties.topCauses()).toList();
			rows.add(new LoginRow(key, t[0], t[1], t[0] == 0 ? null : round((double) t[1] / t[0]),
					LatencyBins.quantile(hist, 0.5), LatencyBins.quantile(hist, 0.95), top));
		});
		return rows;
	}

	/** Successful logins per day and method, for the method share over time: day → method → successes. */
	Map<String, Map<String, Long>> successesByDayAndMethod(LocalDate from, LocalDate to) {
		Map<String, Map<String, Long>> days = new TreeMap<>();
		for (LocalDate d = from; !d.isAfter(to); d = d.plusDays(1)) {
			days.put(d.toString(), new TreeMap<>());
		}
		this.jdbc.sql("SELECT day_start, method, SUM(successes) AS s FROM analytics_login_day"
				+ " WHERE day_start >= :f AND day_start <= :t GROUP BY day_start, method")
			.param("f", from).param("t", to)
			.query(rs -> {
				String day = rs.getObject("day_start", LocalDate.class).toString();
				String method = rs.getString("method");
				long n = rs.getLong("s");
				days.computeIfAbsent(day, k -> new TreeMap<>()).merge(method, n, Long::sum);
			});
		return days;
	}

	/** The funnel's steps in order, optionally for one client and/or platform. */
	List<StepRow> funnel(LocalDate from, LocalDate to, String client, String platform) {
		Map<String, Long> reached = new LinkedHashMap<>();
		LoginAnalytics.STEPS.forEach(s -> reached.put(s, 0L));
		this.jdbc.sql("SELECT step, SUM(reached) AS n FROM analytics_funnel_day WHERE day_start >= :f"
				+ " AND day_start <= :t AND (:c = '' OR client = :c) AND (:p = '' OR platform = :p) GROUP BY step")
			.param("f", from).param("t", to)
			.param("c", client == null ? "" : client).param("p", platform == null ? "" : platform)
			.query(rs -> {
				String step = rs.getString("step");
				long n = rs.getLong("n");
				reached.computeIfPresent(step, (s, was) -> was + n);
			});
		List<StepRow> rows = new ArrayList<>();
		Long first = null;
		Long previous = null;
		for (Map.Entry<String, Long> e : reached.entrySet()) {
			long n = e.getValue();
			rows.add(new StepRow(e.getKey(), n, previous == null ? null : previous == 0 ? null : round((double) n / previous),
					first == null ? null : first == 0 ? null : round((double) n / first)));
			if (first == null) {
				first = n;
			}
			previous = n;
		}
		return rows;
	}

	/**
	 * Cohorts of the people whose first sign-in fell in the range, by its method: how many signed in again at
	 * least N days after their first day. Only people whose first day is at least N days ago are eligible.
	 */
	List<CohortRow> retention(LocalDate from, LocalDate to) {
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		return this.jdbc.sql("""
				SELECT first_method, SUM(people) AS people,
				  SUM(CASE WHEN first_day <= :d1 THEN people ELSE 0 END) AS e1,
				  SUM(CASE WHEN first_day <= :d1 THEN returned_1d ELSE 0 END) AS r1,
				  SUM(CASE WHEN first_day <= :d7 THEN people ELSE 0 END) AS e7,
				  SUM(CASE WHEN first_day <= :d7 THEN returned_7d ELSE 0 END) AS r7,
				  SUM(CASE WHEN first_day <= :d30 THEN people ELSE 0 END) AS e30,
				  SUM(CASE WHEN first_day <= :d30 THEN returned_30d ELSE 0 END) AS r30
				FROM analytics_cohort_day WHERE first_day >= :f AND first_day <= :t AND people > 0
				GROUP BY first_method ORDER BY first_method""")
			.param("f", from.toEpochDay()).param("t", to.toEpochDay())
			.param("d1", today.minusDays(1).toEpochDay()).param("d7", today.minusDays(7).toEpochDay())
			.param("d30", today.minusDays(30).toEpochDay())
			.query((rs, i) -> new CohortRow(rs.getString("first_method"), rs.getLong("people"), rs.getLong("e1"),
					rs.getLong("r1"), rs.getLong("e7"), rs.getLong("r7"), rs.getLong("e30"), rs.getLong("r30")))
			.list();
	}

	/** New and returning people per day (all methods). */
	List<PeopleRow> people(LocalDate from, LocalDate to) {
		return this.jdbc.sql("""
				SELECT day_start, SUM(new_people) AS n, SUM(returning_people) AS r FROM analytics_people_day
				WHERE day_start >= :f AND day_start <= :t GROUP BY day_start ORDER BY day_start""")
			.param("f", from).param("t", to)
			.query((rs, i) -> new PeopleRow(rs.getObject("day_start", LocalDate.class).toString(), rs.getLong("n"), rs.getLong("r")))
			.list();
	}

	/** Messages sent and their cost per SMS sender, against the phone logins that succeeded. */
	List<SmsRow> sms(LocalDate from, LocalDate to) {
		long phoneSuccesses = this.jdbc.sql("SELECT COALESCE(SUM(successes), 0) FROM analytics_login_day"
				+ " WHERE day_start >= :f AND day_start <= :t AND method = 'phone'")
			.param("f", from).param("t", to).query(Long.class).single();
		return this.jdbc.sql("SELECT provider, SUM(sent) AS n FROM analytics_sms_day WHERE day_start >= :f"
				+ " AND day_start <= :t GROUP BY provider ORDER BY provider")
			.param("f", from).param("t", to)
			.query((rs, i) -> {
				long sent = rs.getLong("n");
				BigDecimal price = this.properties.smsPrice().get(rs.getString("provider"));
				BigDecimal cost = price == null ? null : price.multiply(BigDecimal.valueOf(sent));
				return new SmsRow(rs.getString("provider"), sent, price, cost, phoneSuccesses,
						cost == null || phoneSuccesses == 0 ? null
								: cost.divide(BigDecimal.valueOf(phoneSuccesses), 4, RoundingMode.HALF_UP));
			})
			.list();
	}

	static double round(double share) {
		return Math.round(share * 10_000) / 10_000.0;
	}

}
