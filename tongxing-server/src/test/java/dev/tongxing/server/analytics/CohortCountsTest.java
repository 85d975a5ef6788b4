package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The retention answer reads the cohort counts, not the person rows: at every step (people arriving, coming back
 * across each threshold, seen twice a day, deleted, purged) the counts equal what the person rows say, and the
 * answer equals the one computed from the person rows by the query the counts replaced.
 */
class CohortCountsTest extends GatewayTest {

	@Autowired
	MutableClock clock;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	RollupStore store;

	@Autowired
	AccountService accounts;

	@Autowired
	AccountDeletion deletion;

	AnalyticsDriver driver;

	@BeforeEach
	@AfterEach
	void empty() {
		this.store.flush();
		LoginAnalyticsGatewayTest.TABLES.forEach(t -> this.jdbc.sql("DELETE FROM " + t).update());
		this.clock.reset();
		this.driver = new AnalyticsDriver(this.issuer, this.emulator, this.clock);
	}

	@Test
	void theCountsFollowThePersonRowsThroughArrivalsReturnsDeletionAndPurge() {
		LocalDate first = today();
		for (String name : List.of("ann", "ben", "cat", "dan")) {
			this.driver.devLogin("cohort-" + name, Duration.ofMillis(200));
		}
		this.driver.devLogin("cohort-ann", Duration.ofMillis(200)); // the same day again: nothing moves
		this.store.flush();
		agrees(first);
		assertThat(cohorts()).containsExactly(Map.entry(first.toEpochDay() + "|dev", List.of(4L, 0L, 0L, 0L)));

		step(Duration.ofDays(1), "cohort-ann", "cohort-ben"); // day 1: two come back
		agrees(first);
		step(Duration.ofDays(6), "cohort-ann"); // day 7: ann crosses 7
		agrees(first);
		this.driver.devLogin("cohort-eve", Duration.ofMillis(200)); // a cohort of its own, on day 7
		this.store.flush();
		step(Duration.ofDays(23), "cohort-ann", "cohort-cat"); // day 30: ann crosses 30, cat 1, 7 and 30 at once
		agrees(first);
		assertThat(cohorts()).containsEntry(first.toEpochDay() + "|dev", List.of(4L, 3L, 2L, 2L))
			.containsEntry(first.plusDays(7).toEpochDay() + "|dev", List.of(1L, 0L, 0L, 0L));

		// a deleted person leaves the counts of their cohort
		String cat = this.accounts.userFor(new ExternalIdentity.IdentityKey("dev", "cohort-cat")).orElseThrow();
		this.deletion.request(cat);
		this.clock.advance(Duration.ofDays(14));
		assertThat(this.deletion.completeDue()).isGreaterThanOrEqualTo(1);
		agrees(first);
		assertThat(cohorts()).containsEntry(first.toEpochDay() + "|dev", List.of(3L, 2L, 1L, 1L));

		// the purge: those not seen for the retention leave, those seen since stay counted
		this.clock.advance(Duration.ofDays(400)); // day 444: the cut-off (day 44) is past everyone's last day but ben's, seen now
		this.driver.devLogin("cohort-ben", Duration.ofMillis(200));
		this.store.flush();
		this.store.purge();
		agrees(first);
		assertThat(cohorts()).containsExactly(Map.entry(first.toEpochDay() + "|dev", List.of(1L, 1L, 1L, 1L)));
	}

	private void step(Duration by, String... names) {
		this.clock.advance(by);
		for (String name : names) {
			this.driver.devLogin(name, Duration.ofMillis(200));
		}
		this.store.flush();
	}

	private LocalDate today() {
		return this.clock.instant().atOffset(ZoneOffset.UTC).toLocalDate();
	}

	/** Cohort rows as {@code first day|method → [people, returned 1d, 7d, 30d]}. */
	private Map<String, List<Long>> cohorts() {
		Map<String, List<Long>> rows = new TreeMap<>();
		this.jdbc.sql("SELECT first_day, first_method, people, returned_1d, returned_7d, returned_30d FROM analytics_cohort_day")
			.query(rs -> {
				rows.put(rs.getLong(1) + "|" + rs.getString(2),
						List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
			});
		return rows;
	}

	/** The counts equal the person rows', and the API's answer equals the old query's over the person rows. */
	private void agrees(LocalDate first) {
		Map<String, List<Long>> fromPeople = new TreeMap<>();
		this.jdbc.sql("""
				SELECT first_day, first_method, COUNT(*),
				  SUM(CASE WHEN last_day >= first_day + 1 THEN 1 ELSE 0 END),
				  SUM(CASE WHEN last_day >= first_day + 7 THEN 1 ELSE 0 END),
				  SUM(CASE WHEN last_day >= first_day + 30 THEN 1 ELSE 0 END)
				FROM analytics_person GROUP BY first_day, first_method""")
			.query(rs -> {
				fromPeople.put(rs.getLong(1) + "|" + rs.getString(2),
						List.of(rs.getLong(3), rs.getLong(4), rs.getLong(5), rs.getLong(6)));
			});
		assertThat(cohorts()).isEqualTo(fromPeople);
		LocalDate today = today();
		LocalDate to = today.isAfter(first.plusDays(399)) ? first.plusDays(399) : today; // a range is at most 400 days
		Map<String, Object> old = this.jdbc.sql("""
				SELECT COUNT(*) AS people,
				  SUM(CASE WHEN first_day <= :d1 THEN 1 ELSE 0 END) AS e1,
				  SUM(CASE WHEN first_day <= :d1 AND last_day >= first_day + 1 THEN 1 ELSE 0 END) AS r1,
				  SUM(CASE WHEN first_day <= :d7 THEN 1 ELSE 0 END) AS e7,
				  SUM(CASE WHEN first_day <= :d7 AND last_day >= first_day + 7 THEN 1 ELSE 0 END) AS r7,
				  SUM(CASE WHEN first_day <= :d30 THEN 1 ELSE 0 END) AS e30,
				  SUM(CASE WHEN first_day <= :d30 AND last_day >= first_day + 30 THEN 1 ELSE 0 END) AS r30
				FROM analytics_person WHERE first_method = 'dev' AND first_day >= :f AND first_day <= :t""")
			.param("f", first.toEpochDay()).param("t", to.toEpochDay())
			.param("d1", today.minusDays(1).toEpochDay()).param("d7", today.minusDays(7).toEpochDay())
			.param("d30", today.minusDays(30).toEpochDay())
			.query().singleRow();
		Map<String, Object> answer = this.driver.rows("/admin/api/analytics/retention?from=" + first + "&to=" + to)
			.getOrDefault("dev", Map.of("people", 0, "eligible_1d", 0, "returned_1d", 0, "eligible_7d", 0,
					"returned_7d", 0, "eligible_30d", 0, "returned_30d", 0));
		for (String[] pair : new String[][] { { "people", "people" }, { "e1", "eligible_1d" }, { "r1", "returned_1d" },
				{ "e7", "eligible_7d" }, { "r7", "returned_7d" }, { "e30", "eligible_30d" }, { "r30", "returned_30d" } }) {
			Object was = old.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(pair[0])).findFirst()
				.orElseThrow().getValue();
			assertThat(((Number) answer.get(pair[1])).longValue()).as(pair[1])
				.isEqualTo(was == null ? 0 : ((Number) was).longValue());
		}
	}

}
