package dev.tongxing.server.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Fills the roll-ups with made-up but plausible counts, for measuring queries at scale
 * ({@code java -jar tongxing-server.jar analytics seed --people=1000000 --days=365}): per hour, three methods,
 * two clients and the four platforms, with failure causes and latency bins, the funnel's steps per client and
 * platform, and text messages per sender; per day, new and returning people per method; one cohort row per
 * person with its cohort's counts. The day roll-ups get the sums of their hours, as the flush gives them. Every
 * table an answer reads gets rows, so no measured answer reads an empty table. Only for an empty test
 * database: it adds to whatever is there and says so.
 */
@Component
public class AnalyticsSeeder {

	static final String[] METHODS = { "wechat", "phone", "oidc:corp" };

	static final String[] CLIENTS = { "web-shop", "app-shop" };

	static final String[] CAUSES = { "upstream_unavailable", "code_expired_or_reused", "user_cancelled" };

	static final String[] SMS_SENDERS = { "tencent", "aliyun" };

	private static final int BATCH = 5_000;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AnalyticsSeeder(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** What was written. */
	public record Seeded(long loginRows, long causeRows, long latencyRows, long funnelRows, long peopleDayRows,
			long smsRows, long people) {
	}

	/** Rows gathered for one batch of inserts, and how many went in so far. */
	private static final class Rows {

		final List<Object[]> logins = new ArrayList<>();

		final List<Object[]> causes = new ArrayList<>();

		final List<Object[]> latency = new ArrayList<>();

		final List<Object[]> funnel = new ArrayList<>();

		final List<Object[]> sms = new ArrayList<>();

		final List<Object[]> peopleDays = new ArrayList<>();

		long loginsWritten, causesWritten, latencyWritten, funnelWritten, smsWritten, peopleDaysWritten;

	}

	/** @param people cohort rows; @param days days back from today, today included */
	public Seeded seed(int people, int days, long seed) {
		if (people < 0 || days < 1 || days > 400) {
			throw new IllegalArgumentException("people must be 0 or more, days between 1 and 400");
		}
		SplittableRandom random = new SplittableRandom(seed);
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		LocalDate first = today.minusDays(days - 1);
		Rows rows = new Rows();
		for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
			for (String method : METHODS) {
				long newPeople = 50 + random.nextInt(500);
				rows.peopleDays.add(new Object[] { day, method, newPeople, newPeople * (2 + random.nextInt(6)) });
			}
			for (int hour = 0; hour < 24; hour++) {
				hour(day.atStartOfDay().plusHours(hour).atOffset(ZoneOffset.UTC), random, rows);
			}
			if (rows.logins.size() >= BATCH) {
				flush(rows); // whole days only: a day's rows are summed from its hours in one flush
			}
		}
		flush(rows);
		List<Object[]> persons = new ArrayList<>();
		java.util.Map<String, long[]> cohorts = new java.util.TreeMap<>(); // first day|method → people, r1, r7, r30
		long epochFirst = first.toEpochDay();
		for (int i = 0; i < people; i++) {
			long firstDay = epochFirst + random.nextInt(days);
			String method = METHODS[random.nextInt(METHODS.length)];
			// WeChat people come back more often, as the seed's app saw
			double back = method.equals("wechat") ? 0.68 : 0.42;
			long lastDay = random.nextDouble() < back ? Math.min(today.toEpochDay(), firstDay + 1 + random.nextInt(60))
					: firstDay;
			persons.add(new Object[] { "seed-" + seed + "-" + i, (int) firstDay, method, (int) lastDay });
			long[] cohort = cohorts.computeIfAbsent(firstDay + "|" + method, k -> new long[4]);
			cohort[0]++;
			for (int t = 0; t < CohortCounts.THRESHOLDS.length; t++) {
				cohort[t + 1] += lastDay >= firstDay + CohortCounts.THRESHOLDS[t] ? 1 : 0;
			}
			if (persons.size() == BATCH) {
				this.jdbc.batchUpdate("INSERT INTO analytics_person (pid, first_day, first_method, last_day) VALUES (?, ?, ?, ?)",
						persons);
				persons.clear();
			}
		}
		if (!persons.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO analytics_person (pid, first_day, first_method, last_day) VALUES (?, ?, ?, ?)",
					persons);
		}
		// added to, as the flush does: a second seeding adds to the counts of the first
		cohorts.forEach((key, n) -> {
			int bar = key.indexOf('|');
			Object[] c = { Integer.parseInt(key.substring(0, bar)), key.substring(bar + 1), n[0], n[1], n[2], n[3] };
			if (this.jdbc.update("""
					UPDATE analytics_cohort_day SET people = people + ?, returned_1d = returned_1d + ?,
					returned_7d = returned_7d + ?, returned_30d = returned_30d + ? WHERE first_day = ? AND first_method = ?""",
					c[2], c[3], c[4], c[5], c[0], c[1]) == 0) {
				this.jdbc.update("""
						INSERT INTO analytics_cohort_day (first_day, first_method, people, returned_1d, returned_7d, returned_30d)
						VALUES (?, ?, ?, ?, ?, ?)""", c);
			}
		});
		return new Seeded(rows.loginsWritten, rows.causesWritten, rows.latencyWritten, rows.funnelWritten,
				rows.peopleDaysWritten, rows.smsWritten, people);
	}

	/** The day rows: each hour row's counts summed by its UTC day and other columns (the date replaces the hour). */
	private void days(Rows rows) {
		insertDays("INSERT INTO analytics_login_day (day_start, method, app, client, platform, attempts, successes)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?)", rows.logins, 2);
		insertDays("INSERT INTO analytics_cause_day (day_start, method, app, client, platform, cause, failures)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?)", rows.causes, 1);
		insertDays("INSERT INTO analytics_latency_day (day_start, method, app, client, platform, bin, samples)"
				+ " VALUES (?, ?, ?, ?, ?, ?, ?)", rows.latency, 1);
		insertDays("INSERT INTO analytics_funnel_day (day_start, client, platform, step, reached) VALUES (?, ?, ?, ?, ?)",
				rows.funnel, 1);
		insertDays("INSERT INTO analytics_sms_day (day_start, provider, sent) VALUES (?, ?, ?)", rows.sms, 1);
	}

	/** @param counts how many trailing columns are counts (summed); those between the hour and them are the key */
	private void insertDays(String sql, List<Object[]> hourRows, int counts) {
		java.util.Map<List<Object>, long[]> sums = new java.util.LinkedHashMap<>();
		for (Object[] row : hourRows) {
			List<Object> key = new ArrayList<>();
			key.add(((OffsetDateTime) row[0]).toLocalDate());
			for (int i = 1; i < row.length - counts; i++) {
				key.add(row[i]);
			}
			long[] sum = sums.computeIfAbsent(key, k -> new long[counts]);
			for (int c = 0; c < counts; c++) {
				sum[c] += ((Number) row[row.length - counts + c]).longValue();
			}
		}
		List<Object[]> dayRows = new ArrayList<>();
		sums.forEach((key, sum) -> {
			Object[] row = new Object[key.size() + counts];
			for (int i = 0; i < key.size(); i++) {
				row[i] = key.get(i);
			}
			for (int c = 0; c < counts; c++) {
				row[key.size() + c] = sum[c];
			}
			dayRows.add(row);
		});
		this.jdbc.batchUpdate(sql, dayRows);
	}

	private static void hour(OffsetDateTime at, SplittableRandom random, Rows rows) {
		for (String method : METHODS) {
			for (String client : CLIENTS) {
				for (Platform platform : Platform.values()) {
					long attempts = 20 + random.nextInt(200);
					long failures = attempts * (3 + random.nextInt(12)) / 100;
					String app = method.equals("wechat") ? "wx0000000000000001" : "-";
					rows.logins.add(new Object[] { at, method, app, client, platform.key, attempts, attempts - failures });
					for (String cause : CAUSES) {
						rows.causes.add(new Object[] { at, method, app, client, platform.key, cause, failures / 3 + 1 });
					}
					int median = LatencyBins.bin(4_000 + random.nextInt(8_000));
					for (int b = -2; b <= 2; b++) {
						rows.latency.add(new Object[] { at, method, app, client, platform.key, median + b * 8,
								Math.max(1, (attempts - failures) / (1 + Math.abs(b) * 2)) });
					}
				}
			}
		}
		for (String client : CLIENTS) {
			for (Platform platform : Platform.values()) {
				long reached = 100 + random.nextInt(600);
				for (String step : LoginAnalytics.STEPS) {
					rows.funnel.add(new Object[] { at, client, platform.key, step, reached });
					reached = reached * (85 + random.nextInt(15)) / 100; // some drop out at every step
				}
			}
		}
		for (String sender : SMS_SENDERS) {
			rows.sms.add(new Object[] { at, sender, 10 + random.nextInt(300) });
		}
	}

	private void flush(Rows rows) {
		days(rows);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_login_hour (hour_start, method, app, client, platform, attempts, successes)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", rows.logins);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_cause_hour (hour_start, method, app, client, platform, cause, failures)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", rows.causes);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_latency_hour (hour_start, method, app, client, platform, bin, samples)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", rows.latency);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_funnel_hour (hour_start, client, platform, step, reached)
				VALUES (?, ?, ?, ?, ?)""", rows.funnel);
		this.jdbc.batchUpdate("INSERT INTO analytics_sms_hour (hour_start, provider, sent) VALUES (?, ?, ?)", rows.sms);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_people_day (day_start, method, new_people, returning_people)
				VALUES (?, ?, ?, ?)""", rows.peopleDays);
		rows.loginsWritten += rows.logins.size();
		rows.causesWritten += rows.causes.size();
		rows.latencyWritten += rows.latency.size();
		rows.funnelWritten += rows.funnel.size();
		rows.smsWritten += rows.sms.size();
		rows.peopleDaysWritten += rows.peopleDays.size();
		rows.logins.clear();
		rows.causes.clear();
		rows.latency.clear();
		rows.funnel.clear();
		rows.sms.clear();
		rows.peopleDays.clear();
	}

}
