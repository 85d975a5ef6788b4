package dev.tongxing.server.oidc;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Token lifetimes, under {@code tongxing.tokens}.
 *
 * @param accessTokenTtl access-token lifetime (two hours)
 * @param refreshTokenTtl refresh-token lifetime
 * @param authorizationCodeTtl authorization-code lifetime
 * @param refreshTokenReuseGrace how long a just-rotated refresh token may still be redeemed (for mobile
 * clients whose response got lost); zero turns it off, and any reuse after it revokes the family
 */
@ConfigurationProperties("tongxing.tokens")
public record TokenProperties(@DefaultValue("7200s") Duration accessTokenTtl, @DefaultValue("30d") Duration refreshTokenTtl,
		@DefaultValue("5m") Duration authorizationCodeTtl,
		@DefaultValue("0s") Duration refreshTokenReuseGrace) {

	public TokenProperties {
		if (refreshTokenReuseGrace.isNegative() || refreshTokenReuseGrace.compareTo(Duration.ofMinutes(1)) > 0) {
			throw new IllegalArgumentException(
					"tongxing.tokens.refresh-token-reuse-grace must be between 0s and 60s (a few seconds)");
		}
	}

	/** Spring Authorization Server gives ID tokens a fixed 30-minute life. */
	public static final Duration ID_TOKEN_TTL = Duration.ofMinutes(30);

	/** How long a retired signing key must stay published: the longest-lived token it signed. */
	public Duration longestSignedTokenTtl() {
		return accessTokenTtl.compareTo(ID_TOKEN_TTL) >= 0 ? accessTokenTtl : ID_TOKEN_TTL;
	}
}
