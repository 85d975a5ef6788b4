package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The delivery settings are checked at start, and the backoff grows, stays bounded and is jittered. */
class DeliveryPolicyTest {

	static EventsProperties properties(Duration lease, Duration initial, Duration max) {
		return new EventsProperties(Duration.ofSeconds(2), 20, lease, Duration.ofSeconds(5), Duration.ofSeconds(10),
				initial, max, 12, Duration.ofDays(3), Duration.ofMinutes(2), Duration.ofDays(30));
	}

	@Test
	void backoffDoublesWithJitterUpToTheMaximum() {
		DeliveryWorker worker = new DeliveryWorker(null, null, null, null, null, null,
				properties(Duration.ofSeconds(60), Duration.ofSeconds(4), Duration.ofSeconds(60)), null,
				new io.micrometer.core.instrument.simple.SimpleMeterRegistry());
		for (int i = 0; i < 200; i++) {
			assertThat(worker.backoff(1)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
			assertThat(worker.backoff(3)).isBetween(Duration.ofSeconds(8), Duration.ofSeconds(16));
			assertThat(worker.backoff(40)).isBetween(Duration.ofSeconds(30), Duration.ofSeconds(60));
		}
		long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> worker.backoff(5)).distinct().count();
		assertThat(distinct).isGreaterThan(10); // jittered: nodes do not retry in step
	}

	@Test
	void aLeaseShorterThanOneCallIsRefusedAtStart() {
		assertThatThrownBy(() -> properties(Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofHours(1)))
			.hasMessageContaining("lease")
			.hasMessageContaining("tongxing.events");
		assertThatThrownBy(() -> properties(Duration.ofSeconds(60), Duration.ofMinutes(5), Duration.ofMinutes(1)))
			.hasMessageContaining("max-backoff");
		assertThatThrownBy(() -> properties(Duration.ZERO, Duration.ofSeconds(5), Duration.ofHours(1)))
			.hasMessageContaining("lease must be a positive duration");
	}

	@Test
	void rfc8935ErrorsAreReadForOperators() {
		assertThat(PushClient.describe("{\"err\":\"invalid_key\",\"description\":\"unknown kid\"}"))
			.isEqualTo("invalid_key: unknown kid");
		assertThat(PushClient.describe("<html>bad</html>")).isEqualTo("rejected (400): <html>bad</html>");
		assertThat(PushClient.describe("")).isEqualTo("rejected (400)");
	}

}
