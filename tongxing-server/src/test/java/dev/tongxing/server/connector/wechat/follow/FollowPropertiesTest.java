package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The gateway does not start with a follow-to-sign-in configuration WeChat would not work with; each problem names its key. */
class FollowPropertiesTest {

	private static FollowProperties enabled(String token, String key, Duration qr, Duration poll, Duration age) {
		return new FollowProperties(true, null, token, key, qr, poll, age, null);
	}

	@Test
	void aWorkableConfigurationHasNoProblemAndADisabledOneIsNotChecked() {
		assertThat(enabled("token123", null, Duration.ofMinutes(5), Duration.ofSeconds(25), Duration.ofMinutes(5)).problems())
			.isEmpty();
		assertThat(enabled("token123", "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", Duration.ofMinutes(1),
				Duration.ofSeconds(1), Duration.ofHours(1)).problems()).isEmpty();
		assertThat(new FollowProperties(false, null, null, "short", Duration.ofHours(1), Duration.ZERO, Duration.ZERO, null)
			.problems()).isEmpty();
	}

	@Test
	void eachProblemNamesItsSetting() {
		assertThat(enabled(null, null, Duration.ofMinutes(5), Duration.ofSeconds(25), Duration.ofMinutes(5)).problems())
			.singleElement().asString().contains("tongxing.wechat.follow.token");
		assertThat(enabled("to ken", null, Duration.ofMinutes(5), Duration.ofSeconds(25), Duration.ofMinutes(5)).problems())
			.singleElement().asString().contains("tongxing.wechat.follow.token");
		assertThat(enabled("token123", "not-43-characters", Duration.ofMinutes(5), Duration.ofSeconds(25),
				Duration.ofMinutes(5)).problems()).singleElement().asString().contains("encoding-aes-key");
		assertThat(enabled("token123", null, Duration.ofMinutes(6), Duration.ofSeconds(25), Duration.ofMinutes(5)).problems())
			.singleElement().asString().contains("qr-lifetime");
		assertThat(enabled("token123", null, Duration.ofMinutes(5), Duration.ofSeconds(60), Duration.ofMinutes(5)).problems())
			.singleElement().asString().contains("long-poll");
		assertThat(enabled("token123", null, Duration.ofMinutes(5), Duration.ofSeconds(25), Duration.ofSeconds(30)).problems())
			.singleElement().asString().contains("message-max-age");
	}

}
