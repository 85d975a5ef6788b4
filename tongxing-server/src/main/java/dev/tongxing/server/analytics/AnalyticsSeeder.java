package dev.tongxing.server.analytics;

import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Fills the roll-ups with made-up but plausible counts, for measuring queries at scale
 * ({@code java -jar tongxing-server.jar analytics seed --people=1000000 --days=365}): per hour, three methods,
 * two clients and the four platforms, with failure causes and latency bins; one cohort row per person. Only for
 * an empty test database: it adds to whatever is there and says so.
 */
@Component
public class AnalyticsSeeder {

	static final String[] METHODS = { "wechat", "phone", "oidc:corp" };

	static final String[] CLIENTS = { "web-shop", "app-shop" };

	static final String[] CAUSES = { "upstream_unavailable", "code_expired_or_reused", "user_cancelled" };

	private static final int BATCH = 5_000;

	private final JdbcTemplate jdbc;

	private final Clock clock;

	AnalyticsSeeder(JdbcTemplate jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** What was written. */
	public record Seeded(long loginRows, long causeRows, long latencyRows, long people) {
	}

	/** @param people cohort rows; @param days days back from today, today included */
	public Seeded seed(int people, int days, long seed) {
		if (people < 0 || days < 1 || days > 400) {
			throw new IllegalArgumentException("people must be 0 or more, days between 1 and 400");
		}
		SplittableRandom random = new SplittableRandom(seed);
		LocalDate today = this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
		LocalDate first = today.minusDays(days - 1);
		List<Object[]> logins = new ArrayList<>();
		List<Object[]> causes = new ArrayList<>();
		List<Object[]> latency = new ArrayList<>();
		long[] written = new long[3];
		for (LocalDate day = first; !day.isAfter(today); day = day.plusDays(1)) {
			for (int hour = 0; hour < 24; hour++) {
				java.time.OffsetDateTime at = day.atStartOfDay().plusHours(hour).atOffset(ZoneOffset.UTC);
				for (String method : METHODS) {
					for (String client : CLIENTS) {
						for (Platform platform : Platform.values()) {
							long attempts = 20 + random.nextInt(200);
							long failures = attempts * (3 + random.nextInt(12)) / 100;
							String app = method.equals("wechat") ? "wx0000000000000001" : "-";
							logins.add(new Object[] { at, method, app, client, platform.key, attempts, attempts - failures });
							for (String cause : CAUSES) {
								causes.add(new Object[] { at, method, app, client, platform.key, cause, failures / 3 + 1 });
							}
							int median = LatencyBins.bin(4_000 + random.nextInt(8_000));
							for (int b = -2; b <= 2; b++) {
								latency.add(new Object[] { at, method, app, client, platform.key, median + b * 8,
										Math.max(1, (attempts - failures) / (1 + Math.abs(b) * 2)) });
							}
						}
					}
				}
				if (logins.size() >= BATCH) {
					flush(logins, causes, latency, written);
				}
			}
		}
		flush(logins, causes, latency, written);
		List<Object[]> persons = new ArrayList<>();
		long epochFirst = first.toEpochDay();
		for (int i = 0; i < people; i++) {
			long firstDay = epochFirst + random.nextInt(days);
			String method = METHODS[random.nextInt(METHODS.length)];
			// WeChat people come back more often, as the seed's app saw
			double back = method.equals("wechat") ? 0.68 : 0.42;
			long lastDay = random.nextDouble() < back ? Math.min(today.toEpochDay(), firstDay + 1 + random.nextInt(60))
					: firstDay;
			persons.add(new Object[] { "seed-" + seed + "-" + i, (int) firstDay, method, (int) lastDay });
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
		return new Seeded(written[0], written[1], written[2], people);
	}

	private void flush(List<Object[]> logins, List<Object[]> causes, List<Object[]> latency, long[] written) {
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_login_hour (hour_start, method, app, client, platform, attempts, successes)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", logins);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_cause_hour (hour_start, method, app, client, platform, cause, failures)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", causes);
		this.jdbc.batchUpdate("""
				INSERT INTO analytics_latency_hour (hour_start, method, app, client, platform, bin, samples)
				VALUES (?, ?, ?, ?, ?, ?, ?)""", latency);
		written[0] += logins.size();
		written[1] += causes.size();
		written[2] += latency.size();
		logins.clear();
		causes.clear();
		latency.clear();
	}

}
