package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** This node's tokens per minute for the console's overview: minutes roll over, an hour later they are gone. */
class TokenIssuanceTest {

	@Test
	void countsTheLastMinutesAndForgetsOlderOnes() {
		MutableClock clock = new MutableClock();
		TokenIssuance issuance = new TokenIssuance(clock);
		issuance.issued();
		issuance.issued();
		issuance.issued();
		assertThat(issuance.inLastMinutes(1)).isEqualTo(3);
		clock.advance(Duration.ofMinutes(2));
		issuance.issued();
		assertThat(issuance.inLastMinutes(1)).isEqualTo(1);
		assertThat(issuance.inLastMinutes(5)).isEqualTo(4);
		assertThat(issuance.inLastMinutes(60)).isEqualTo(4);
		clock.advance(Duration.ofMinutes(58)); // the first three were 60 minutes ago: out of the hour
		assertThat(issuance.inLastMinutes(60)).isEqualTo(1);
		clock.advance(Duration.ofMinutes(60)); // the slot of a minute an hour ago is reused, not added to
		issuance.issued();
		assertThat(issuance.inLastMinutes(60)).isEqualTo(1);
		assertThat(issuance.inLastMinutes(5)).isEqualTo(1);
	}

}
