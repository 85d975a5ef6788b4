package dev.tongxing.server.oidc;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * A grant a connector adds to the token endpoint (e.g. WeChat's native-app login as token exchange): a
 * converter that recognises its requests (returning null for any other) and the provider that serves them.
 */
public interface TokenGrantExtension {

	AuthenticationConverter converter();

	AuthenticationProvider provider();

}
