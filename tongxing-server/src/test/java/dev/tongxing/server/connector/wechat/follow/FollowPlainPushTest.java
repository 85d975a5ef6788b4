package dev.tongxing.server.connector.wechat.follow;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * With an EncodingAESKey (safe or compatible mode) WeChat encrypts every push: a plain push, however well signed
 * with the Token, is refused before anything of it is read, unless the deployment says plain pushes still come.
 */
class FollowPlainPushTest {

	static final String TOKEN = "plaintoken";

	static final String KEY = "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG";

	static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

	static final byte[] BODY = "<xml><FromUserName>o-someone</FromUserName><CreateTime>1</CreateTime></xml>"
		.getBytes(StandardCharsets.UTF_8);

	private static FollowMessages messages(String key, Boolean requireEncryption) {
		FollowProperties properties = new FollowProperties(true, null, TOKEN, key, Duration.ofMinutes(5),
				Duration.ofSeconds(25), Duration.ofMinutes(5), requireEncryption);
		assertThat(properties.problems()).isEmpty();
		// nothing past the checks is reached for these pushes: no scenes, waiters, app or database
		return new FollowMessages(properties, null, null, null, Clock.fixed(NOW, ZoneOffset.UTC), new SimpleMeterRegistry(),
				null);
	}

	private static FollowMessages.Signed plain() {
		String timestamp = Long.toString(NOW.getEpochSecond());
		return new FollowMessages.Signed(MessageCrypto.signature(TOKEN, timestamp, "42"), timestamp, "42", null, null);
	}

	@Test
	void aSignedPlainPushIsRefusedWhenAKeyIsSet() {
		assertThat(messages(KEY, null).receive(plain(), BODY)).isEqualTo(FollowMessages.Outcome.NOT_ENCRYPTED);
		assertThat(messages(KEY, true).receive(plain(), BODY)).isEqualTo(FollowMessages.Outcome.NOT_ENCRYPTED);
	}

	@Test
	void withoutAKeyOrWhenSaidSoAPlainPushIsReadOn() {
		// read on: past the encryption check, its (here malformed) content is the next thing that decides
		assertThat(messages(null, null).receive(plain(), "<xml></xml>".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(FollowMessages.Outcome.MALFORMED);
		assertThat(messages(KEY, false).receive(plain(), "<xml></xml>".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(FollowMessages.Outcome.MALFORMED);
	}

	@Test
	void requiringEncryptionWithoutAKeyIsAStartUpProblem() {
		assertThat(new FollowProperties(true, null, TOKEN, null, Duration.ofMinutes(5), Duration.ofSeconds(25),
				Duration.ofMinutes(5), true).problems()).singleElement().asString().contains("require-encryption");
	}

	@Test
	void theSignatureIsCheckedFirst() {
		String timestamp = Long.toString(NOW.getEpochSecond());
		FollowMessages.Signed forged = new FollowMessages.Signed(MessageCrypto.signature("guessed", timestamp, "42"),
				timestamp, "42", null, null);
		assertThat(messages(KEY, null).receive(forged, BODY)).isEqualTo(FollowMessages.Outcome.BAD_SIGNATURE);
	}

}
