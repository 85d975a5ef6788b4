package dev.tongxing.server.oidc;

import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.oidc.keys.SigningKeysJwtEncoder;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.oidc.endpoint.OidcParameterNames;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;

/**
 * Shapes the JWTs: access tokens follow RFC 9068 ({@code typ: at+jwt}, {@code client_id}); ID tokens carry
 * the user's standard claims that the granted scopes and the client's whitelist allow.
 */
final class TokenClaims implements OAuth2TokenCustomizer<JwtEncodingContext> {

	private final ClaimRelease release;

	private final SubjectResolver subjects;

	TokenClaims(ClaimRelease release, SubjectResolver subjects) {
		this.release = release;
		this.subjects = subjects;
	}

	@Override
	public void customize(JwtEncodingContext context) {
		if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
			context.getJwsHeader().type("at+jwt");
			context.getClaims().claim("client_id", context.getRegisteredClient().getClientId());
			if (AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
				context.getClaims()
					.claim(SelfContainedTokens.GRANT_TYPE_CLAIM, AuthorizationGrantType.CLIENT_CREDENTIALS.getValue());
			}
			else {
				// introspection answers from the token's own claims: it shows the same sub
				context.getClaims().subject(this.subjects.subjectFor(context.getPrincipal().getName(),
						context.getRegisteredClient().getClientId()));
			}
		}
		else if (OidcParameterNames.ID_TOKEN.equals(context.getTokenType().getValue())
				&& !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
			context.getJwsHeader()
				.algorithm(SigningKeysJwtEncoder.algorithm(ClientSettingNames.idTokenSigningAlg(context.getRegisteredClient())));
			Authentication principal = context.getPrincipal();
			context.getClaims()
				.subject(this.subjects.subjectFor(principal.getName(), context.getRegisteredClient().getClientId()));
			Set<String> scopes = context.getAuthorizedScopes();
			this.release.release(context.getRegisteredClient(), principal.getName(), scopes, "id_token")
				.forEach(context.getClaims()::claim);
		}
	}

}
