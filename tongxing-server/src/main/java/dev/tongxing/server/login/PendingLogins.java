package dev.tongxing.server.login;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Every browser login between the redirect to an upstream and its callback, whatever the connector: in the
 * database, so any node can take the callback; bound to the browser that began it; short-lived; used once.
 * The {@code state} is unguessable (190 bits), letters and digits only (WeChat's official-account page takes
 * nothing else); a connector keeps what its callback needs (a nonce, a PKCE verifier, a scope) beside it.
 */
@Component
public class PendingLogins {

	public static final Duration TTL = Duration.ofMinutes(10);

	private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

	/** 32 letters or digits: 190 bits. */
	private static final int STATE_LENGTH = 32;

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final TypeReference<Map<String, String>> ATTRIBUTES = new TypeReference<>() {
	};

	private final JdbcClient jdbc;

	private final Clock clock;

	private final JsonMapper json = JsonMapper.builder().build();

	PendingLogins(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/**
	 * A login taken back at its callback.
	 * @param app the upstream app it was sent to (a WeChat appid, an upstream id), or null
	 * @param attributes what the connector kept for its callback
	 */
	public record PendingLogin(String state, String method, String app, Map<String, String> attributes) {
	}

	/** A fresh state, for a connector that must build the upstream's URL before the login is saved. */
	public static String newState() {
		StringBuilder sb = new StringBuilder(STATE_LENGTH);
		for (int i = 0; i < STATE_LENGTH; i++) {
			sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
		}
		return sb.toString();
	}

	/** Remembers a login about to be sent upstream, bound to this browser. */
	public void save(String state, String method, String app, Map<String, String> attributes,
			HttpServletRequest request) {
		this.jdbc.sql("""
				INSERT INTO login_pending_login (state, binding_hash, method, app, attributes, expires_at)
				VALUES (:state, :binding, :method, :app, :attributes, :expires)""")
			.param("state", state)
			.param("binding", BrowserBinding.establish(request))
			.param("method", method)
			.param("app", app)
			.param("attributes", this.json.writeValueAsString(attributes))
			.param("expires", now().plus(TTL))
			.update();
	}

	/** {@link #save}s a login under a fresh state, and returns the state. */
	public String begin(String method, String app, Map<String, String> attributes, HttpServletRequest request) {
		String state = newState();
		save(state, method, app, attributes, request);
		return state;
	}

	/**
	 * Takes a login back, once, for this method in this browser; empty when unknown, expired, already used,
	 * begun for another method or in another browser. A state shown by the wrong browser is burnt too
	 * (someone is trying to plant their login on a victim).
	 */
	public Optional<PendingLogin> take(String state, String method, HttpServletRequest request) {
		if (state == null || !state.matches("[A-Za-z0-9_-]{1,100}")) {
			return Optional.empty();
		}
		record Row(String binding, String method, String app, String attributes, OffsetDateTime expiresAt) {
		}
		Optional<Row> row = this.jdbc.sql("""
				SELECT binding_hash, method, app, attributes, expires_at FROM login_pending_login WHERE state = :state""")
			.param("state", state)
			.query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getObject(5, OffsetDateTime.class)))
			.optional();
		// the delete decides a race between two callbacks (two nodes): only one of them gets the login
		int taken = this.jdbc.sql("DELETE FROM login_pending_login WHERE state = :state").param("state", state).update();
		if (taken != 1 || row.isEmpty() || !row.get().method().equals(method)
				|| !BrowserBinding.holds(request, row.get().binding()) || !row.get().expiresAt().isAfter(now())) {
			return Optional.empty();
		}
		return Optional.of(new PendingLogin(state, method, row.get().app(),
				this.json.readValue(row.get().attributes(), ATTRIBUTES)));
	}

	/**
	 * Whether this browser has this login waiting, begun for this method and not expired, without taking it: for a
	 * connector's own page shown between the start and the callback (a QR code the browser waits on), which must
	 * show nothing to another browser.
	 */
	public boolean holds(String state, String method, HttpServletRequest request) {
		if (state == null || !state.matches("[A-Za-z0-9_-]{1,100}")) {
			return false;
		}
		record Row(String binding, String method, OffsetDateTime expiresAt) {
		}
		return this.jdbc.sql("SELECT binding_hash, method, expires_at FROM login_pending_login WHERE state = :state")
			.param("state", state)
			.query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getObject(3, OffsetDateTime.class)))
			.optional()
			.filter(row -> row.method().equals(method) && row.expiresAt().isAfter(now())
					&& BrowserBinding.holds(request, row.binding()))
			.isPresent();
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void purgeExpired() {
		this.jdbc.sql("DELETE FROM login_pending_login WHERE expires_at < :now").param("now", now()).update();
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

}
