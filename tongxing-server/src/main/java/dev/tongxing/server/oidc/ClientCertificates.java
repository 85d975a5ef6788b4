package dev.tongxing.server.oidc;

import dev.tongxing.server.mtls.ClientCertificateTrust;
import java.security.cert.X509Certificate;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.authentication.X509ClientCertificateAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.web.authentication.X509ClientCertificateAuthenticationConverter;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Client authentication by TLS certificate (RFC 8705 §2), on Spring Authorization Server's
 * {@link X509ClientCertificateAuthenticationConverter}/{@link X509ClientCertificateAuthenticationProvider} (which compares a
 * {@code tls_client_auth} client's subject DN, and a {@code self_signed_tls_client_auth} client's key with its JWK set),
 * with two things added:
 * <ul>
 * <li>the method is the one the client registered. Spring's converter guesses it from the chain's length (one
 * certificate: self-signed), but a client may send its certificate without its CA, and a proxy forwards only the
 * client's own;</li>
 * <li>for {@code tls_client_auth} the chain must lead to a CA in {@code tongxing.mtls.client-ca}
 * ({@link ClientCertificateTrust}): the TLS handshake lets every certificate through, since a self-signed one is good
 * for a client that registered it.</li>
 * </ul>
 */
final class ClientCertificates {

	static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private ClientCertificates() {
	}

	static boolean presented(jakarta.servlet.http.HttpServletRequest request) {
		return request.getAttribute(ATTRIBUTE) instanceof X509Certificate[] chain && chain.length > 0;
	}

	/**
	 * A request with a client certificate and a {@code client_id} whose client authenticates by certificate; for any
	 * other client nothing (its secret or PKCE converters answer).
	 */
	static AuthenticationConverter converter(RegisteredClientRepository clients) {
		X509ClientCertificateAuthenticationConverter spring = new X509ClientCertificateAuthenticationConverter();
		return request -> {
			if (!presented(request)
					|| !(spring.convert(request) instanceof OAuth2ClientAuthenticationToken token)) {
				return null;
			}
			RegisteredClient client = clients.findByClientId(token.getPrincipal().toString());
			if (client == null) {
				return token; // Spring's provider answers invalid_client
			}
			ClientAuthenticationMethod registered = registeredMethod(client);
			if (registered == null) {
				return null;
			}
			return registered.equals(token.getClientAuthenticationMethod()) ? token
					: new OAuth2ClientAuthenticationToken(token.getPrincipal().toString(), registered,
							token.getCredentials(), token.getAdditionalParameters());
		};
	}

	static ClientAuthenticationMethod registeredMethod(RegisteredClient client) {
		if (client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.TLS_CLIENT_AUTH)) {
			return ClientAuthenticationMethod.TLS_CLIENT_AUTH;
		}
		if (client.getClientAuthenticationMethods().contains(ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH)) {
			return ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH;
		}
		return null;
	}

	/** Spring's provider, after the CA check for {@code tls_client_auth}. */
	static AuthenticationProvider provider(AuthenticationProvider spring, ClientCertificateTrust trust) {
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) throws AuthenticationException {
				var token = (OAuth2ClientAuthenticationToken) authentication;
				if (ClientAuthenticationMethod.TLS_CLIENT_AUTH.equals(token.getClientAuthenticationMethod())
						&& !(token.getCredentials() instanceof X509Certificate[] chain && trust.trusts(chain))) {
					throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_CLIENT,
							"Client authentication failed: the certificate is not issued by a trusted CA",
							"https://datatracker.ietf.org/doc/html/rfc8705#section-2.1"));
				}
				return spring.authenticate(authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return spring.supports(authentication);
			}
		};
	}

}
