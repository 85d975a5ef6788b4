package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.util.URLUtils;
import dev.tongxing.server.connector.oidc.TestOidcProvider.Grant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The checks of {@link TestOidcProvider}'s token endpoint, as a real provider makes them: the client's secret (HTTP
 * Basic), the code taken once, the redirect URI it was issued for and the PKCE verifier of its challenge. So a
 * connector that sent a wrong one would not get an ID token in the tests either.
 */
record TokenEndpoint(String clientId, String clientSecret, Map<String, Grant> codes) {

	/** @return the grant the request redeems, or empty for any request a provider answers {@code invalid_grant} */
	Optional<Grant> redeem(String authorization, String form) {
		Map<String, List<String>> params = URLUtils.parseParameters(form);
		if (!authenticated(authorization) || !"authorization_code".equals(first(params, "grant_type"))) {
			return Optional.empty();
		}
		String code = first(params, "code");
		Grant grant = code == null ? null : this.codes.remove(code);
		if (grant == null || !grant.redirectUri().equals(first(params, "redirect_uri"))) {
			return Optional.empty();
		}
		return proves(first(params, "code_verifier"), grant.codeChallenge()) ? Optional.of(grant) : Optional.empty();
	}

	private static boolean proves(String verifier, String challenge) {
		try {
			return verifier != null
					&& CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue().equals(challenge);
		}
		catch (IllegalArgumentException ex) {
			return false; // not a verifier at all
		}
	}

	private boolean authenticated(String authorization) {
		if (authorization == null) {
			return false;
		}
		try {
			ClientSecretBasic basic = ClientSecretBasic.parse(authorization);
			return basic.getClientID().getValue().equals(this.clientId)
					&& basic.getClientSecret().getValue().equals(this.clientSecret);
		}
		catch (ParseException | IllegalArgumentException ex) {
			return false;
		}
	}

	private static String first(Map<String, List<String>> params, String name) {
		List<String> values = params.get(name);
		return values == null || values.isEmpty() ? null : values.getFirst();
	}

}
