package dev.tongxing.server.analytics;

import java.util.Map;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The retention cohorts as counts ({@code analytics_cohort_day}): per first day and first method, how many people
 * and how many came back 1, 7 and 30 or more days later. Changed only in the transaction that changes the person
 * rows they count, so the counts always equal what the person rows say.
 */
@Component
class CohortCounts {

	static final int[] THRESHOLDS = { 1, 7, 30 };

	private final JdbcClient jdbc;

	CohortCounts(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	/** A person's first sign-in. */
	void arrived(long firstDay, String method) {
		add(firstDay, method, 1, 0, 0, 0);
	}

	/** A person seen again: their last day moved from {@code wasLastDay} to {@code lastDay}. */
	void movedOn(long firstDay, String method, long wasLastDay, long lastDay) {
		int[] crossed = new int[THRESHOLDS.length];
		boolean any = false;
		for (int i = 0; i < THRESHOLDS.length; i++) {
			long mark = firstDay + THRESHOLDS[i];
			crossed[i] = wasLastDay < mark && lastDay >= mark ? 1 : 0;
			any |= crossed[i] == 1;
		}
		if (any) {
			add(firstDay, method, 0, crossed[0], crossed[1], crossed[2]);
		}
	}

	/** People leaving a cohort (deleted, or purged): {@code returned[i]} of them had come back after THRESHOLDS[i]. */
	void left(long firstDay, String method, long people, long[] returned) {
		this.jdbc.sql("""
				UPDATE analytics_cohort_day SET people = people - :n, returned_1d = returned_1d - :r1,
				returned_7d = returned_7d - :r7, returned_30d = returned_30d - :r30
				WHERE first_day = :d AND first_method = :m""")
			.params(Map.of("n", people, "r1", returned[0], "r7", returned[1], "r30", returned[2], "d", firstDay, "m",
					method))
			.update();
		this.jdbc.sql("DELETE FROM analytics_cohort_day WHERE first_day = :d AND first_method = :m AND people <= 0")
			.param("d", firstDay).param("m", method).update();
	}

	/** One person leaving: whether they had come back after each threshold, from their first and last day. */
	void left(long firstDay, String method, long lastDay) {
		long[] returned = new long[THRESHOLDS.length];
		for (int i = 0; i < THRESHOLDS.length; i++) {
			returned[i] = lastDay >= firstDay + THRESHOLDS[i] ? 1 : 0;
		}
		left(firstDay, method, 1, returned);
	}

	private void add(long firstDay, String method, long people, long r1, long r7, long r30) {
		Map<String, Object> p = Map.of("d", firstDay, "m", method, "n", people, "r1", r1, "r7", r7, "r30", r30);
		if (this.jdbc.sql("""
				UPDATE analytics_cohort_day SET people = people + :n, returned_1d = returned_1d + :r1,
				returned_7d = returned_7d + :r7, returned_30d = returned_30d + :r30
				WHERE first_day = :d AND first_method = :m""").params(p).update() == 0) {
			this.jdbc.sql("""
					INSERT INTO analytics_cohort_day (first_day, first_method, people, returned_1d, returned_7d, returned_30d)
					VALUES (:d, :m, :n, :r1, :r7, :r30)""").params(p).update();
		}
	}

}
