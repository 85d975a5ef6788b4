package dev.tongxing.server.oidc;

import dev.tongxing.server.oidc.client.ClientDefinition;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider's public configuration contract under {@code tongxing.*}: issuer, clients, token lifetimes
 * and signing-key settings.
 */
@ConfigurationProperties("tongxing")
public record OidcProperties(@DefaultValue("http://127.0.0.1:8080") String issuer,
		@DefaultValue List<ClientDefinition> clients, @DefaultValue Tokens tokens, @DefaultValue Keys keys) {

	public OidcProperties {
		if (issuer.endsWith("/")) {
			issuer = issuer.substring(0, issuer.length() - 1);
		}
	}

	/**
	 * @param accessTokenTtl access-token lifetime (two hours)
	 * @param refreshTokenTtl refresh-token lifetime
	 * @param authorizationCodeTtl authorization-code lifetime
	 * @param refreshTokenReuseGrace how long a just-rotated refresh token may still be redeemed (for mobile
	 * clients whose response got lost); zero turns it off, and any reuse after it revokes the family
	 */
	public record Tokens(@DefaultValue("7200s") Duration accessTokenTtl, @DefaultValue("30d") Duration refreshTokenTtl,
			@DefaultValue("5m") Duration authorizationCodeTtl,
			@DefaultValue("0s") Duration refreshTokenReuseGrace) {

		public Tokens {
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

	/**
	 * @param masterKey Base64 of 32 random bytes; encrypts private keys and secrets at rest
	 * @param masterKeyId the name stored with every ciphertext, so the master key can be rotated
	 * @param retiredMasterKeys earlier master keys by id, kept to decrypt what they encrypted
	 * @param rsaKeySize RSA modulus length of new signing keys (at least 2048)
	 * @param refreshInterval how often a node re-reads the signing keys (rotation on another node)
	 */
	public record Keys(String masterKey, @DefaultValue("default") String masterKeyId,
			@DefaultValue Map<String, String> retiredMasterKeys, @DefaultValue("2048") int rsaKeySize,
			@DefaultValue("10s") Duration refreshInterval) {

		public Keys {
			if (rsaKeySize < 2048) {
				throw new IllegalArgumentException("tongxing.keys.rsa-key-size must be at least 2048");
			}
		}
	}

}
