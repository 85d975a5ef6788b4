package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SendLimitsTest {

	static final Instant NOW = Instant.parse("2026-05-01T08:00:00Z");

	static final PhoneProperties.Limit DEFAULT = new PhoneProperties.Limit(1, 10);

	@Test
	void firstSendIsAllowed() {
		assertThat(SendLimits.retryAt(List.of(), NOW, DEFAULT)).isEmpty();
	}

	@Test
	void oneAMinute() {
		Instant sent = NOW.minusSeconds(20);
		assertThat(SendLimits.retryAt(List.of(sent), NOW, DEFAULT)).hasValue(sent.plusSeconds(60));
		assertThat(SendLimits.retryAt(List.of(sent), sent.plusSeconds(60), DEFAULT)).isEmpty();
	}

	@Test
	void tenADaySliding() {
		List<Instant> sends = new ArrayList<>();
		for (int i = 0; i < 10; i++) {
			sends.add(NOW.minus(Duration.ofHours(2 * i + 1))); // newest first: 1h, 3h, ... 19h ago
		}
		Optional<Instant> retry = SendLimits.retryAt(sends, NOW, DEFAULT);
		// the oldest of the ten (19 h ago) has to leave the 24-hour window
		assertThat(retry).hasValue(NOW.minus(Duration.ofHours(19)).plus(Duration.ofDays(1)));
		assertThat(SendLimits.retryAt(sends.subList(0, 9), NOW, DEFAULT)).isEmpty();
	}

	@Test
	void sendsOlderThanADayDoNotCount() {
		List<Instant> sends = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			sends.add(NOW.minus(Duration.ofDays(1)).minusSeconds(i));
		}
		assertThat(SendLimits.retryAt(sends, NOW, DEFAULT)).isEmpty();
	}

	@Test
	void theLaterOfTheTwoWindowsWins() {
		PhoneProperties.Limit limit = new PhoneProperties.Limit(2, 3);
		List<Instant> sends = List.of(NOW.minusSeconds(10), NOW.minusSeconds(30), NOW.minus(Duration.ofHours(5)));
		// minute window full until 30 s ago + 60 s; day window full until 5 h ago + 24 h
		assertThat(SendLimits.retryAt(sends, NOW, limit)).hasValue(NOW.minus(Duration.ofHours(5)).plus(Duration.ofDays(1)));
		assertThat(SendLimits.later(Optional.of(NOW), Optional.empty())).hasValue(NOW);
		assertThat(SendLimits.later(Optional.empty(), Optional.of(NOW))).hasValue(NOW);
		assertThat(SendLimits.later(Optional.of(NOW), Optional.of(NOW.plusSeconds(1)))).hasValue(NOW.plusSeconds(1));
	}

}
