package dev.tongxing.server.oidc;

import java.util.List;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenIntrospection;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;

/**
 * Access tokens of the {@code client_credentials} grant are self-contained: no row is written for them (at
 * load that was a 33-column row per token, never read again). Introspection and revocation of any JWT access
 * token start from its signature, expiry and the {@link RevokedAccessTokens} list; a client token is then
 * answered from the token alone, a person's token still by its authorization row (which carries the state of
 * its refresh-token family, consent and deletion). Only the token's own client, or a client in its audience,
 * learns anything about it: others hear {@code active: false}.
 */
final class SelfContainedTokens {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(SelfContainedTokens.class);

	/** The claim that marks a client token (as Auth0 marks them), so it is told apart without a row. */
	static final String GRANT_TYPE_CLAIM = "gty";

	private SelfContainedTokens() {
	}

	static boolean isClientToken(Jwt jwt) {
		return AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(jwt.getClaimAsString(GRANT_TYPE_CLAIM));
	}

	/** A compact JWS has two dots; refresh tokens and codes (opaque) have none. */
	static boolean looksLikeJwt(String token) {
		int first = token.indexOf('.');
		return first > 0 && token.indexOf('.', first + 1) > first;
	}

	private static OAuth2ClientAuthenticationToken authenticatedClient(Authentication authentication) {
		if (authentication.getPrincipal() instanceof OAuth2ClientAuthenticationToken client && client.isAuthenticated()) {
			return client;
		}
		throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
	}

	/** Whether {@code caller} may learn about the token: its own client, or one it names as audience. */
	static boolean mayKnow(Jwt jwt, String caller) {
		return caller.equals(jwt.getClaimAsString("client_id"))
				|| jwt.getAudience() != null && jwt.getAudience().contains(caller);
	}

	/** Token introspection (RFC 7662). */
	static final class Introspection implements AuthenticationProvider {

		private final JwtDecoder decoder;

		private final AuthenticationProvider rowBased;

		Introspection(JwtDecoder decoder, AuthenticationProvider rowBased) {
			this.decoder = decoder;
			this.rowBased = rowBased;
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			var request = (OAuth2TokenIntrospectionAuthenticationToken) authentication;
			OAuth2ClientAuthenticationToken client = authenticatedClient(request);
			if (!looksLikeJwt(request.getToken())) {
				return this.rowBased.authenticate(authentication); // a refresh token: only its row knows it
			}
			Jwt jwt;
			try {
				jwt = this.decoder.decode(request.getToken()); // signature, issuer, expiry, type, revocation list
			}
			catch (JwtException invalidOrRevoked) {
				log.debug("Introspected token is not active: {}", invalidOrRevoked.getMessage());
				return inactive(request, client);
			}
			if (!mayKnow(jwt, client.getRegisteredClient().getClientId())) {
				return inactive(request, client);
			}
			if (!isClientToken(jwt)) {
				return this.rowBased.authenticate(authentication);
			}
			java.util.Map<String, Object> confirmation = jwt.getClaimAsMap("cnf");
			boolean bound = confirmation != null && confirmation.get("jkt") != null;
			OAuth2TokenIntrospection.Builder claims = OAuth2TokenIntrospection.builder(true)
				.clientId(jwt.getClaimAsString("client_id"))
				// RFC 9449 §6.2: a DPoP-bound token says so, and names the key it is bound to
				.tokenType(bound ? OAuth2AccessToken.TokenType.DPOP.getValue() : OAuth2AccessToken.TokenType.BEARER.getValue())
				.subject(jwt.getSubject())
				.issuedAt(jwt.getIssuedAt())
				.expiresAt(jwt.getExpiresAt())
				.notBefore(jwt.getNotBefore())
				.id(jwt.getId());
			if (jwt.getIssuer() != null) {
				claims.issuer(jwt.getIssuer().toString());
			}
			if (jwt.getAudience() != null) {
				claims.audiences(a -> a.addAll(jwt.getAudience()));
			}
			List<String> scopes = jwt.getClaimAsStringList("scope");
			if (scopes != null && !scopes.isEmpty()) {
				claims.scopes(s -> s.addAll(scopes));
			}
			if (confirmation != null && (bound || confirmation.get("x5t#S256") != null)) {
				// RFC 9449 §6.2 and RFC 8705 §3.2: the key or certificate the token is bound to
				java.util.Map<String, Object> cnf = new java.util.LinkedHashMap<>();
				for (String member : List.of("jkt", "x5t#S256")) {
					if (confirmation.get(member) != null) {
						cnf.put(member, confirmation.get(member));
					}
				}
				claims.claim("cnf", cnf);
			}
			return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(), client, claims.build());
		}

		private static Authentication inactive(OAuth2TokenIntrospectionAuthenticationToken request,
				OAuth2ClientAuthenticationToken client) {
			return new OAuth2TokenIntrospectionAuthenticationToken(request.getToken(), client,
					OAuth2TokenIntrospection.builder().build());
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return OAuth2TokenIntrospectionAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

	/** Token revocation (RFC 7009). */
	static final class Revocation implements AuthenticationProvider {

		private final JwtDecoder decoder;

		private final RevokedAccessTokens revoked;

		private final AuthenticationProvider rowBased;

		Revocation(JwtDecoder decoder, RevokedAccessTokens revoked, AuthenticationProvider rowBased) {
			this.decoder = decoder;
			this.revoked = revoked;
			this.rowBased = rowBased;
		}

		@Override
		public Authentication authenticate(Authentication authentication) throws AuthenticationException {
			var request = (OAuth2TokenRevocationAuthenticationToken) authentication;
			OAuth2ClientAuthenticationToken client = authenticatedClient(request);
			if (!looksLikeJwt(request.getToken())) {
				return this.rowBased.authenticate(authentication);
			}
			Jwt jwt;
			try {
				jwt = this.decoder.decode(request.getToken());
			}
			catch (JwtException invalidExpiredOrRevokedAlready) {
				return request; // nothing to revoke: RFC 7009 answers 200 all the same
			}
			if (!client.getRegisteredClient().getClientId().equals(jwt.getClaimAsString("client_id"))) {
				throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
			}
			this.revoked.revoke(jwt.getId(), jwt.getExpiresAt());
			if (!isClientToken(jwt)) {
				return this.rowBased.authenticate(authentication); // also ends it in its authorization row
			}
			return new OAuth2TokenRevocationAuthenticationToken(new OAuth2AccessToken(
					OAuth2AccessToken.TokenType.BEARER, request.getToken(), jwt.getIssuedAt(), jwt.getExpiresAt()),
					client);
		}

		@Override
		public boolean supports(Class<?> authentication) {
			return OAuth2TokenRevocationAuthenticationToken.class.isAssignableFrom(authentication);
		}

	}

	/** Writes no row for an authorization of the {@code client_credentials} grant: its token stands alone. */
	static final class ClientGrantsNotStored implements OAuth2AuthorizationService {

		private final OAuth2AuthorizationService delegate;

		ClientGrantsNotStored(OAuth2AuthorizationService delegate) {
			this.delegate = delegate;
		}

		@Override
		public void save(OAuth2Authorization authorization) {
			if (!AuthorizationGrantType.CLIENT_CREDENTIALS.equals(authorization.getAuthorizationGrantType())) {
				this.delegate.save(authorization);
			}
		}

		@Override
		public void remove(OAuth2Authorization authorization) {
			this.delegate.remove(authorization);
		}

		@Override
		public OAuth2Authorization findById(String id) {
			return this.delegate.findById(id);
		}

		@Override
		public OAuth2Authorization findByToken(String token, OAuth2TokenType tokenType) {
			return this.delegate.findByToken(token, tokenType);
		}

	}

}
