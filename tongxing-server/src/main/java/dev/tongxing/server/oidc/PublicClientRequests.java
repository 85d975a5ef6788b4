package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import java.util.HashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Lets public clients (mobile apps, single-page apps) refresh and revoke their own tokens, identified by
 * {@code client_id} alone, as OAuth 2.1 §4.3.1 and RFC 7009 allow. Their refresh tokens are protected by
 * rotation with reuse detection instead of a client secret (RFC 9700 §4.14.2). Spring Authorization
 * Server only authenticates public clients at the code exchange.
 */
final class PublicClientRequests {

	private static final String KIND = "tongxing.public_client_request";

	private PublicClientRequests() {
	}

	static AuthenticationConverter converter(String revocationEndpoint) {
		return (HttpServletRequest request) -> {
			if (request.getHeader(HttpHeaders.AUTHORIZATION) != null
					|| request.getParameter(OAuth2ParameterNames.CLIENT_SECRET) != null
					|| request.getParameter("client_assertion") != null || ClientCertificates.presented(request)) {
				return null; // a certificate: ClientCertificates decides
			}
			String[] clientIds = request.getParameterValues(OAuth2ParameterNames.CLIENT_ID);
			if (clientIds == null || clientIds.length != 1 || !StringUtils.hasText(clientIds[0])) {
				return null;
			}
			String kind;
			if ("refresh_token".equals(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))) {
				kind = "refresh_token";
			}
			else if (request.getRequestURI().endsWith(revocationEndpoint)) {
				kind = "revocation";
			}
			else {
				return null;
			}
			Map<String, Object> parameters = new HashMap<>();
			parameters.put(KIND, kind);
			return new OAuth2ClientAuthenticationToken(clientIds[0], ClientAuthenticationMethod.NONE, null,
					parameters);
		};
	}

	static AuthenticationProvider provider(RegisteredClientRepository clients) {
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) throws AuthenticationException {
				var token = (OAuth2ClientAuthenticationToken) authentication;
				if (!ClientAuthenticationMethod.NONE.equals(token.getClientAuthenticationMethod())
						|| token.getAdditionalParameters().get(KIND) == null) {
					return null;
				}
				RegisteredClient client = clients.findByClientId(token.getPrincipal().toString());
				if (client == null
						|| !client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.NONE)) {
					throw new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT);
				}
				return new OAuth2ClientAuthenticationToken(client, ClientAuthenticationMethod.NONE, null);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return OAuth2ClientAuthenticationToken.class.isAssignableFrom(authentication);
			}
		};
	}

}
