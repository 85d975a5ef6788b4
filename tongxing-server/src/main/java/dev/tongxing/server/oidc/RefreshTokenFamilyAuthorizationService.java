package dev.tongxing.server.oidc;

import dev.tongxing.server.crypto.Digests;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;

/**
 * Refresh-token rotation with reuse detection (RFC 9700 §4.14.2). One authorization is one token family:
 * each rotation remembers the outgoing refresh token's hash; presenting a remembered token again means it
 * leaked (or a client misbehaves), so the whole family is revoked. An optional grace period lets a mobile
 * client whose response was lost redeem the token it just used once more.
 */
public class RefreshTokenFamilyAuthorizationService implements OAuth2AuthorizationService {

	private static final Logger log = LoggerFactory.getLogger(RefreshTokenFamilyAuthorizationService.class);

	private final OAuth2AuthorizationService delegate;

	private final JdbcClient jdbc;

	private final Duration reuseGrace;

	private final Clock clock;

	public RefreshTokenFamilyAuthorizationService(OAuth2AuthorizationService delegate, JdbcClient jdbc,
			Duration reuseGrace, Clock clock) {
		this.delegate = delegate;
		this.jdbc = jdbc;
		this.reuseGrace = reuseGrace;
		this.clock = clock;
	}

	/**
	 * The authorization a grant on this thread just found by its code or refresh token: what the save that
	 * follows replaces, so the rotated-out token is known without reading the row again.
	 */
	private final ThreadLocal<Read> lastRead = new ThreadLocal<>();

	private record Read(OAuth2Authorization authorization, Instant at) {
	}

	@Override
	public void save(OAuth2Authorization authorization) {
		OAuth2Authorization.Token<OAuth2RefreshToken> next = authorization.getRefreshToken();
		Read read = this.lastRead.get();
		this.lastRead.remove();
		if (next != null) {
			OAuth2Authorization previous = read != null && read.authorization().getId().equals(authorization.getId())
					&& read.at().isAfter(this.clock.instant().minusSeconds(5)) ? read.authorization()
							: this.delegate.findById(authorization.getId());
			if (previous != null && previous.getRefreshToken() != null) {
				OAuth2RefreshToken old = previous.getRefreshToken().getToken();
				if (!Objects.equals(old.getTokenValue(), next.getToken().getTokenValue())) {
					remember(old, authorization.getId());
				}
			}
		}
		this.delegate.save(authorization);
	}

	private void remember(OAuth2RefreshToken rotatedOut, String authorizationId) {
		Instant expiresAt = rotatedOut.getExpiresAt() != null ? rotatedOut.getExpiresAt()
				: this.clock.instant().plus(Duration.ofDays(365));
		try {
			this.jdbc.sql("""
					INSERT INTO oidc_rotated_refresh_token (token_hash, authorization_id, rotated_at, expires_at)
					VALUES (:hash, :id, :at, :exp)""")
				.param("hash", Digests.sha256Hex(rotatedOut.getTokenValue()))
				.param("id", authorizationId)
				.param("at", this.clock.instant().atOffset(ZoneOffset.UTC))
				.param("exp", expiresAt.atOffset(ZoneOffset.UTC))
				.update();
		}
		catch (org.springframework.dao.DuplicateKeyException concurrentRotation) {
			// two requests rotated the same token at once: it is remembered already
		}
	}

	@Override
	public void remove(OAuth2Authorization authorization) {
		this.lastRead.remove();
		this.delegate.remove(authorization);
	}

	@Override
	public OAuth2Authorization findById(String id) {
		return this.delegate.findById(id);
	}

	@Override
	public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
		OAuth2Authorization found = this.delegate.findByToken(token, tokenType);
		if (found != null && (OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)
				|| OAuth2ParameterNames.CODE.equals(tokenType == null ? null : tokenType.getValue()))) {
			this.lastRead.set(new Read(found, this.clock.instant())); // a grant about to rotate or redeem it
		}
		if (found != null || !OAuth2TokenType.REFRESH_TOKEN.equals(tokenType)) {
			return found;
		}
		Optional<Rotated> rotated = this.jdbc
			.sql("SELECT authorization_id, rotated_at FROM oidc_rotated_refresh_token WHERE token_hash = :hash")
			.param("hash", Digests.sha256Hex(token))
			.query((rs, i) -> new Rotated(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
			.optional();
		if (rotated.isEmpty()) {
			return null;
		}
		OAuth2Authorization family = this.delegate.findById(rotated.get().authorizationId());
		if (family == null) {
			return null; // already revoked
		}
		if (!this.reuseGrace.isZero() && this.clock.instant().isBefore(rotated.get().rotatedAt().plus(this.reuseGrace))) {
			return family;
		}
		log.warn("Refresh token reuse detected for authorization {} of client {}: revoking the token family",
				family.getId(), family.getRegisteredClientId());
		this.delegate.remove(family);
		return null;
	}

	/** Forgets rotated tokens that have expired anyway. */
	@Scheduled(fixedDelayString = "${tongxing.tokens.cleanup-interval:1h}")
	public void purgeExpired() {
		this.jdbc.sql("DELETE FROM oidc_rotated_refresh_token WHERE expires_at < :now")
			.param("now", this.clock.instant().atOffset(ZoneOffset.UTC))
			.update();
	}

	private record Rotated(String authorizationId, Instant rotatedAt) {
	}


}
