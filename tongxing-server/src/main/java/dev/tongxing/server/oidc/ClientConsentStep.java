package dev.tongxing.server.oidc;

import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationContext;

/**
 * The consent step for clients that are not first-party, in place of Spring Authorization Server's default
 * page: the authorization endpoint sends the person to {@link #PAGE} (with {@code client_id}, {@code scope},
 * {@code state}), and the decision posted back to the endpoint passes through {@link #decide} before it
 * becomes the remembered consent.
 */
public interface ClientConsentStep {

	String PAGE = "/oauth2/consent";

	/**
	 * Finalises a decision posted to the authorization endpoint. Clearing the consent's authorities refuses
	 * the request ({@code access_denied} to the client) and forgets any consent remembered before.
	 */
	void decide(OAuth2AuthorizationConsentAuthenticationContext context);

}
