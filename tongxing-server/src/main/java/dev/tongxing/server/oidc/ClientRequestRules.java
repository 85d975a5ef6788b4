package dev.tongxing.server.oidc;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationValidator;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Rules for what clients send to the token, introspection, revocation and PAR endpoints beyond Spring
 * Authorization Server's: one way of authenticating per request (RFC 6749 §2.3), and no user scopes for a
 * client acting on its own behalf ({@code client_credentials}: there is no person to have an ID token or claims).
 */
final class ClientRequestRules {

	/** Scopes that only mean something when a person signed in. */
	static final Set<String> USER_SCOPES = Set.of("openid", "profile", "email", "address", "phone", "offline_access");

	private ClientRequestRules() {
	}

	/** Placed first among the client-authentication converters: refuses, or leaves the request to the others. */
	static AuthenticationConverter oneAuthenticationMethod() {
		return request -> {
			String authorization = request.getHeader("Authorization");
			boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
			if (basic && (request.getParameter("client_secret") != null || request.getParameter("client_assertion") != null)) {
				throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_REQUEST,
						"Authenticate the client one way only: the Authorization header or client_secret, not both",
						"https://datatracker.ietf.org/doc/html/rfc6749#section-2.3"));
			}
			return null;
		};
	}

	static void tokenProviders(List<AuthenticationProvider> providers) {
		Consumer<OAuth2ClientCredentialsAuthenticationContext> validator = new OAuth2ClientCredentialsAuthenticationValidator()
			.andThen(ClientRequestRules::noUserScopes);
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2ClientCredentialsAuthenticationProvider clientCredentials) {
				clientCredentials.setAuthenticationValidator(validator);
			}
		}
	}

	private static void noUserScopes(OAuth2ClientCredentialsAuthenticationContext context) {
		Set<String> requested = ((org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientCredentialsAuthenticationToken) context
			.getAuthentication()).getScopes();
		List<String> refused = requested.stream().filter(USER_SCOPES::contains).sorted().toList();
		if (!refused.isEmpty()) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_SCOPE,
					"client_credentials acts for no person: " + String.join(", ", refused) + " cannot be granted",
					"https://datatracker.ietf.org/doc/html/rfc6749#section-5.2"));
		}
	}

}
