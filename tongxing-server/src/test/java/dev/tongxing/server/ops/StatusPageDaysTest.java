package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Uptime bars: the share of each UTC day's minutes without an open incident; the feed's escaping. */
class StatusPageDaysTest {

	static final Instant NOW = Instant.parse("2025-06-10T12:00:00Z");

	@Test
	void anIncidentTakesItsShareOfTheDaysItSpans() {
		Incident overnight = new Incident(1, "wechat", null, Instant.parse("2025-06-08T21:36:00Z"),
				Instant.parse("2025-06-09T02:24:00Z"), Incident.LOGINS, List.of());
		Incident ongoing = new Incident(2, "wechat", null, NOW.minus(Duration.ofHours(3)), null, Incident.PROBES,
				List.of());
		List<StatusPage.Day> days = StatusPage.days(List.of(overnight, ongoing), NOW);
		assertThat(days).hasSize(90);
		assertThat(days.getFirst().uptime()).isEqualTo(100);
		assertThat(days.get(87).date()).hasToString("2025-06-08");
		assertThat(days.get(87).uptime()).isEqualTo(90); // 2h24m of 24h
		assertThat(days.get(88).uptime()).isEqualTo(90);
		assertThat(days.get(88).level()).isEqualTo("major");
		assertThat(days.get(89).uptime()).isEqualTo(75); // 3h of the 12h so far today
	}

	@Test
	void feedTextIsEscaped() {
		assertThat(AtomFeed.escape("a <b> & \"c\" 'd'\u0001")).isEqualTo("a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos;");
	}

}
