package dev.tongxing.server.oidc;

import java.util.List;
import java.util.Map;

/**
 * What discovery says beyond Spring Authorization Server's defaults, so that it advertises exactly what
 * this provider accepts.
 */
final class ProviderMetadata {

	private ProviderMetadata() {
	}

	static void describe(Map<String, Object> claims, String issuer) {
		claims.put("op_policy_uri", issuer + "/privacy/policy");
		claims.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
		claims.put("revocation_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post", "none"));
		claims.put("introspection_endpoint_auth_methods_supported", List.of("client_secret_basic", "client_secret_post"));
		claims.put("authorization_response_iss_parameter_supported", true); // RFC 9207
		// OpenID Connect Back-Channel Logout 1.0: logout tokens carry sub and, for a browser session, sid
		claims.put("backchannel_logout_supported", true);
		claims.put("backchannel_logout_session_supported", true);
		claims.remove("tls_client_certificate_bound_access_tokens");
	}

}
