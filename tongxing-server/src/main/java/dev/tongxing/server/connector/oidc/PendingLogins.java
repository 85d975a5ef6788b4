package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Upstream logins between the redirect to the provider and its callback, in the database so that any node
 * can take the callback. Each is bound to the browser that began it, used once, and short-lived.
 */
@Component
class PendingLogins {

	static final Duration TTL = Duration.ofMinutes(10);

	private final JdbcClient jdbc;

	private final Clock clock;

	PendingLogins(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** What the callback needs to finish the login begun with {@code state}. */
	record PendingLogin(String upstreamId, State state, Nonce nonce, CodeVerifier codeVerifier) {

		/** Fresh random values (Nimbus: 256 bits each) for a new login. */
		static PendingLogin create(String upstreamId) {
			return new PendingLogin(upstreamId, new State(), new Nonce(), new CodeVerifier());
		}

	}

	/** Remembers a login about to be sent to the provider, bound to this browser. */
	void save(PendingLogin login, String browserBinding) {
		this.jdbc.sql("""
				INSERT INTO oidc_upstream_pending_login (state, browser_binding, upstream_id, nonce, code_verifier, expires_at)
				VALUES (:state, :binding, :upstream, :nonce, :verifier, :expires)""")
			.param("state", login.state().getValue())
			.param("binding", browserBinding)
			.param("upstream", login.upstreamId())
			.param("nonce", login.nonce().getValue())
			.param("verifier", login.codeVerifier().getValue())
			.param("expires", now().plus(TTL))
			.update();
	}

	/**
	 * Takes (and removes) the login begun with {@code state} for this upstream in this browser.
	 *
	 * @return empty when there is none: unknown, expired, already taken, or begun elsewhere
	 */
	Optional<PendingLogin> take(String upstreamId, String state, String browserBinding) {
		record Row(String binding, String upstreamId, String nonce, String verifier, OffsetDateTime expiresAt) {
		}
		Optional<Row> row = this.jdbc.sql("""
				SELECT browser_binding, upstream_id, nonce, code_verifier, expires_at
				FROM oidc_upstream_pending_login WHERE state = :state""")
			.param("state", state)
			.query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
					rs.getObject(5, OffsetDateTime.class)))
			.optional();
		if (row.isEmpty() || !row.get().upstreamId().equals(upstreamId) || !sameBinding(row.get().binding(), browserBinding)
				|| !row.get().expiresAt().isAfter(now())) {
			return Optional.empty();
		}
		// single use, also when two callbacks race on two nodes: only one of them deletes the row
		int taken = this.jdbc.sql("DELETE FROM oidc_upstream_pending_login WHERE state = :state")
			.param("state", state)
			.update();
		if (taken != 1) {
			return Optional.empty();
		}
		return Optional.of(new PendingLogin(upstreamId, new State(state), new Nonce(row.get().nonce()),
				new CodeVerifier(row.get().verifier())));
	}

	@Scheduled(fixedDelayString = "PT10M", initialDelayString = "PT1M")
	void purgeExpired() {
		this.jdbc.sql("DELETE FROM oidc_upstream_pending_login WHERE expires_at < :now").param("now", now()).update();
	}

	private static boolean sameBinding(String stored, String presented) {
		return presented != null && MessageDigest.isEqual(stored.getBytes(StandardCharsets.UTF_8),
				presented.getBytes(StandardCharsets.UTF_8));
	}

	private OffsetDateTime now() {
		return this.clock.instant().atOffset(ZoneOffset.UTC);
	}

}
