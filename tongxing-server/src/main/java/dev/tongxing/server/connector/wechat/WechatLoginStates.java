package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.crypto.Digests;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code state} of a browser login sent to WeChat: unguessable, letters and digits only (the official
 * account page takes nothing else, at most 128 bytes), stored in the database so any node can take the
 * callback, bound to the browser that started the login, and usable once.
 */
class WechatLoginStates {

	static final Duration LIFETIME = Duration.ofMinutes(10);

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	private static final SecureRandom RANDOM = new SecureRandom();

	record LoginState(String appid, String scope, String purpose) {
	}

	private final JdbcClient jdbc;

	private final Clock clock;

	WechatLoginStates(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	String create(String browserBinding, LoginState state) {
		String value = random(32);
		this.jdbc.sql("""
				INSERT INTO wechat_login_state (state, binding_hash, appid, scope, purpose, expires_at)
				VALUES (:s, :b, :a, :sc, :p, :e)""")
			.param("s", value)
			.param("b", Digests.sha256Hex(browserBinding))
			.param("a", state.appid())
			.param("sc", state.scope())
			.param("p", state.purpose())
			.param("e", this.clock.instant().plus(LIFETIME).atOffset(ZoneOffset.UTC))
			.update();
		return value;
	}

	/**
	 * Takes a state back, once; empty when unknown, expired, already used, or begun in another browser.
	 * A state shown by the wrong browser is burnt too (someone is trying to plant their login on a victim).
	 */
	Optional<LoginState> consume(String value, String browserBinding) {
		if (value == null || !value.matches("[A-Za-z0-9]{1,64}")) {
			return Optional.empty();
		}
		Optional<StoredState> found = this.jdbc
			.sql("SELECT appid, scope, purpose, binding_hash, expires_at FROM wechat_login_state WHERE state = :s")
			.param("s", value)
			.query((rs, i) -> new StoredState(new LoginState(rs.getString(1), rs.getString(2), rs.getString(3)),
					rs.getString(4), rs.getObject(5, java.time.OffsetDateTime.class).toInstant()))
			.optional();
		// the delete decides a race between two callbacks (two nodes): only one of them gets the state
		int deleted = this.jdbc.sql("DELETE FROM wechat_login_state WHERE state = :s").param("s", value).update();
		if (deleted != 1 || found.isEmpty() || browserBinding == null
				|| !found.get().bindingHash().equals(Digests.sha256Hex(browserBinding))
				|| !found.get().expiresAt().isAfter(this.clock.instant())) {
			return Optional.empty();
		}
		return Optional.of(found.get().state());
	}

	private record StoredState(LoginState state, String bindingHash, java.time.Instant expiresAt) {
	}

	static String random(int length) {
		StringBuilder sb = new StringBuilder(length);
		for (int i = 0; i < length; i++) {
			sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return sb.toString();
	}


}
