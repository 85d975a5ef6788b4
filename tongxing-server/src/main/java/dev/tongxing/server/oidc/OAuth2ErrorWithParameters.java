package dev.tongxing.server.oidc;

import java.util.Map;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;

/**
 * An OAuth error whose JSON carries more than {@code error} and {@code error_description}, e.g.
 * {@code consent_required} naming the current {@code policy_version} and {@code policy_uri}.
 */
public class OAuth2ErrorWithParameters extends OAuth2AuthenticationException {

	private final Map<String, Object> parameters;

	public OAuth2ErrorWithParameters(OAuth2Error error, Map<String, Object> parameters) {
		super(error);
		this.parameters = Map.copyOf(parameters);
	}

	public Map<String, Object> parameters() {
		return this.parameters;
	}

}
