package dev.tongxing.server.oidc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The revocation list of self-contained access tokens, by {@code jti}: what lets a JWT be refused before it
 * expires without a row per token. The list holds only revoked tokens that have not expired yet; every node
 * keeps it in memory (the token path reads no row) and reads the entries other nodes added every
 * {@code tongxing.tokens.revocation-refresh} (default 500 ms).
 */
public class RevokedAccessTokens {

	private static final Logger log = LoggerFactory.getLogger(RevokedAccessTokens.class);

	/**
	 * How far back each refresh looks before the newest revocation it has seen: a revocation is written with
	 * its node's clock and may commit a moment after a later one, so the window overlaps. Nodes' clocks must
	 * agree within this (token expiry already needs that).
	 */
	static final Duration OVERLAP = Duration.ofSeconds(5);

	private final JdbcClient jdbc;

	private final Clock clock;

	/** jti → when the token expires (then the entry is useless). */
	private final Map<String, Instant> revoked = new ConcurrentHashMap<>();

	private volatile Instant seenUntil = Instant.EPOCH;

	public RevokedAccessTokens(JdbcClient jdbc, Clock clock) {
		this.jdbc = jdbc;
		this.clock = clock;
	}

	public boolean isRevoked(String jti) {
		return jti != null && this.revoked.containsKey(jti);
	}

	/** Revokes the token on this node at once and, through the database, on every other within a second. */
	public void revoke(String jti, Instant expiresAt) {
		Instant now = this.clock.instant();
		if (jti == null || expiresAt == null || !expiresAt.isAfter(now)) {
			return; // an expired token is refused anyway
		}
		this.revoked.put(jti, expiresAt);
		try {
			this.jdbc.sql("""
					INSERT INTO oidc_revoked_access_token (jti, expires_at, revoked_at) VALUES (:jti, :exp, :at)""")
				.param("jti", jti)
				.param("exp", expiresAt.atOffset(ZoneOffset.UTC))
				.param("at", now.atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (DuplicateKeyException alreadyRevoked) {
			// revoked twice: once is enough
		}
	}

	/** Reads the revocations made since the last read (on any node) and forgets expired ones. */
	@Scheduled(fixedDelayString = "${tongxing.tokens.revocation-refresh:500ms}")
	public void refresh() {
		try {
			Instant since = this.seenUntil.minus(OVERLAP);
			Instant[] newest = { this.seenUntil };
			this.jdbc.sql("""
					SELECT jti, expires_at, revoked_at FROM oidc_revoked_access_token
					WHERE revoked_at >= :since AND expires_at > :now""")
				.param("since", since.atOffset(ZoneOffset.UTC))
				.param("now", this.clock.instant().atOffset(ZoneOffset.UTC))
				.query(rs -> {
					this.revoked.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
					Instant at = rs.getObject(3, OffsetDateTime.class).toInstant();
					if (at.isAfter(newest[0])) {
						newest[0] = at;
					}
				});
			this.seenUntil = newest[0];
			Instant now = this.clock.instant();
			this.revoked.values().removeIf(expiry -> !expiry.isAfter(now));
		}
		catch (RuntimeException ex) {
			log.warn("Could not read the access-token revocation list: {}", ex.toString());
		}
	}

	/** Deletes entries whose tokens have expired. */
	@Scheduled(fixedDelayString = "${tongxing.tokens.cleanup-interval:1h}")
	public void purgeExpired() {
		this.jdbc.sql("DELETE FROM oidc_revoked_access_token WHERE expires_at < :now")
			.param("now", this.clock.instant().minus(OVERLAP).atOffset(ZoneOffset.UTC))
			.update();
	}

}
