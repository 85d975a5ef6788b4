package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The overview's windows over the hour roll-ups: whole hours from the top of the hour N hours ago. */
class RecentLoginsTest extends GatewayTest {

	@Autowired
	RecentLogins recent;

	@Autowired
	RollupStore store;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	java.time.Clock clock;

	@BeforeEach
	@AfterEach
	void empty() {
		this.store.flush();
		LoginAnalyticsGatewayTest.TABLES.forEach(t -> this.jdbc.sql("DELETE FROM " + t).update());
	}

	void hour(Instant start, String method, long attempts, long successes) {
		this.jdbc.sql("""
				INSERT INTO analytics_login_hour (hour_start, method, app, client, platform, attempts, successes)
				VALUES (:h, :m, '-', 'c', 'web', :a, :s)""")
			.param("h", RollupStore.utc(start)).param("m", method).param("a", attempts).param("s", successes)
			.update();
	}

	@Test
	void windowsStartAtTheTopOfTheHourAndMarkMethodsUnderTheTarget() {
		Instant now = this.clock.instant();
		Instant lastHourStart = now.minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.HOURS);
		hour(lastHourStart, "phone", 10, 9); // 90 %: under 92 %
		hour(lastHourStart.minus(Duration.ofHours(1)), "phone", 100, 100); // before the last hour, in the day
		hour(lastHourStart.minus(Duration.ofHours(23)), "dev", 5, 5); // the day's first hour
		hour(lastHourStart.minus(Duration.ofHours(24)), "dev", 7, 0); // before the day

		RecentLogins.Window hour = this.recent.lastHours(1);
		assertThat(hour.since()).isEqualTo(lastHourStart);
		assertThat(hour.methods()).containsExactly(new RecentLogins.MethodLogins("phone", 10, 9, 0.9, true));
		assertThat(hour.successRate()).isEqualTo(0.9);

		RecentLogins.Window day = this.recent.lastHours(24);
		assertThat(day.since()).isEqualTo(lastHourStart.minus(Duration.ofHours(23)));
		assertThat(day.methods()).containsExactly(new RecentLogins.MethodLogins("phone", 110, 109, 0.9909, false),
				new RecentLogins.MethodLogins("dev", 5, 5, 1.0, false));
		assertThat(day.attempts()).isEqualTo(115);
		assertThat(this.recent.successTarget()).isEqualTo(0.92);
	}

}
