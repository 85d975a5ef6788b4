package dev.tongxing.server.oidc;

import java.util.Arrays;
import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.oidc.OidcScopes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationContext;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeRequestAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2PushedAuthorizationRequestAuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Plugs this provider's authorization-request behaviour into Spring Authorization Server's extension points:
 * the request converters ({@link ForeignRequestUris}) and the providers' validator
 * ({@link AuthorizationRequestRules}) and consent decision ({@code prompt=consent}). What must happen before the
 * person is asked to sign in is {@link AuthorizationRequestFilter}'s.
 */
final class AuthorizationRequestHandling {

	private AuthorizationRequestHandling() {
	}

	static void converters(List<AuthenticationConverter> converters) {
		converters.replaceAll(ForeignRequestUris::new);
	}

	static void providers(List<AuthenticationProvider> providers) {
		AuthorizationRequestRules rules = new AuthorizationRequestRules();
		for (AuthenticationProvider provider : providers) {
			if (provider instanceof OAuth2AuthorizationCodeRequestAuthenticationProvider code) {
				code.setAuthenticationValidator(rules);
				code.setAuthorizationConsentRequired(AuthorizationRequestHandling::consentRequired);
			}
			else if (provider instanceof OAuth2PushedAuthorizationRequestAuthenticationProvider pushed) {
				pushed.setAuthenticationValidator(rules);
			}
		}
	}

	/** Spring Authorization Server's rule, plus {@code prompt=consent} asking again for clients that ask at all. */
	static boolean consentRequired(OAuth2AuthorizationCodeRequestAuthenticationContext context) {
		if (!context.getRegisteredClient().getClientSettings().isRequireAuthorizationConsent()) {
			return false;
		}
		var request = context.getAuthorizationRequest();
		if (request.getScopes().equals(java.util.Set.of(OidcScopes.OPENID))) {
			return false;
		}
		Object prompt = request.getAdditionalParameters().get("prompt");
		if (prompt != null && Arrays.asList(prompt.toString().trim().split(" +")).contains("consent")) {
			return true;
		}
		var consent = context.getAuthorizationConsent();
		return consent == null || !consent.getScopes().containsAll(request.getScopes());
	}


}
