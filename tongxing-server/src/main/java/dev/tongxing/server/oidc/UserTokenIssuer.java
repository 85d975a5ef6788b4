package dev.tongxing.server.oidc;

import dev.tongxing.server.account.UserAccount;
import java.security.Principal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.FactorGrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2AccessToken;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2RefreshToken;
import org.springframework.security.oauth2.core.OAuth2Token;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.context.AuthorizationServerContextHolder;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.token.DefaultOAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.stereotype.Component;

/**
 * Issues a user's tokens at the token endpoint for grants that sign a person in without a browser (token
 * exchange of a WeChat code, …): the same access, refresh and ID tokens, stored the same way, as the
 * authorization-code flow gives, so refresh, revocation, introspection and userinfo work unchanged.
 */
@Component
public class UserTokenIssuer {

	private final OAuth2TokenGenerator<?> tokenGenerator;

	private final OAuth2AuthorizationService authorizations;

	public UserTokenIssuer(OAuth2TokenGenerator<?> tokenGenerator, OAuth2AuthorizationService authorizations) {
		this.tokenGenerator = tokenGenerator;
		this.authorizations = authorizations;
	}

	/**
	 * @param method the login method that proved the user (becomes the authentication factor)
	 * @param grant the request being served (recorded as the authorization grant)
	 * @param additional extra response parameters (e.g. {@code issued_token_type})
	 */
	public OAuth2AccessTokenAuthenticationToken issue(OAuth2ClientAuthenticationToken clientPrincipal, UserAccount user,
			String method, Set<String> scopes, AuthorizationGrantType grantType, Authentication grant,
			Map<String, Object> additional) {
		RegisteredClient client = clientPrincipal.getRegisteredClient();
		Authentication principal = UsernamePasswordAuthenticationToken.authenticated(user.id(), null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"),
						FactorGrantedAuthority.withFactor(method.toUpperCase(Locale.ROOT)).issuedAt(Instant.now()).build()));
		OAuth2Authorization.Builder authorization = OAuth2Authorization.withRegisteredClient(client)
			.principalName(user.id())
			.authorizationGrantType(grantType)
			.authorizedScopes(scopes)
			.attribute(Principal.class.getName(), principal);
		DefaultOAuth2TokenContext.Builder context = DefaultOAuth2TokenContext.builder()
			.registeredClient(client)
			.principal(principal)
			.authorizationServerContext(AuthorizationServerContextHolder.getContext())
			.authorizedScopes(scopes)
			.authorizationGrantType(grantType)
			.authorizationGrant(grant);

		OAuth2TokenContext accessContext = context.tokenType(OAuth2TokenType.ACCESS_TOKEN).build();
		OAuth2Token generatedAccess = generate(accessContext, "access token");
		OAuth2AccessToken accessToken = new OAuth2AccessToken(OAuth2AccessToken.TokenType.BEARER,
				generatedAccess.getTokenValue(), generatedAccess.getIssuedAt(), generatedAccess.getExpiresAt(), scopes);
		authorization.token(accessToken, metadata -> {
			if (generatedAccess instanceof ClaimAccessor claims) {
				metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, claims.getClaims());
			}
			metadata.put(OAuth2Authorization.Token.INVALIDATED_METADATA_NAME, false);
			metadata.put(OAuth2TokenFormat.class.getName(), client.getTokenSettings().getAccessTokenFormat().getValue());
		});

		OAuth2RefreshToken refreshToken = null;
		if (client.getAuthorizationGrantTypes().contains(AuthorizationGrantType.REFRESH_TOKEN)) {
			OAuth2Token generated = generate(context.tokenType(OAuth2TokenType.REFRESH_TOKEN).build(), "refresh token");
			refreshToken = (OAuth2RefreshToken) generated;
			authorization.refreshToken(refreshToken);
		}

		Map<String, Object> parameters = new HashMap<>(additional);
		if (scopes.contains(OidcScopes.OPENID)) {
			// the ID-token generator reads the authorization built so far (for refresh: the current ID token)
			OAuth2TokenContext idContext = context.authorization(authorization.build())
				.tokenType(new OAuth2TokenType(OidcParameterNames.ID_TOKEN))
				.build();
			OAuth2Token generated = generate(idContext, "ID token");
			OidcIdToken idToken = new OidcIdToken(generated.getTokenValue(), generated.getIssuedAt(),
					generated.getExpiresAt(), ((ClaimAccessor) generated).getClaims());
			authorization.token(idToken,
					metadata -> metadata.put(OAuth2Authorization.Token.CLAIMS_METADATA_NAME, idToken.getClaims()));
			parameters.put(OidcParameterNames.ID_TOKEN, idToken.getTokenValue());
		}

		this.authorizations.save(authorization.build());
		return new OAuth2AccessTokenAuthenticationToken(client, clientPrincipal, accessToken, refreshToken, parameters);
	}

	private OAuth2Token generate(OAuth2TokenContext context, String what) {
		OAuth2Token token = this.tokenGenerator.generate(context);
		if (token == null) {
			throw new OAuth2AuthenticationException(
					new OAuth2Error(OAuth2ErrorCodes.SERVER_ERROR, "Could not generate the " + what, null));
		}
		return token;
	}

}
