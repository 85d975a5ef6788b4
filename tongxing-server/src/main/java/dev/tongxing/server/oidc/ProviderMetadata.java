package dev.tongxing.server.oidc;

import dev.tongxing.server.oidc.client.ClientDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;

/**
 * What discovery says beyond Spring Authorization Server's defaults, so that it advertises exactly what
 * this provider accepts.
 */
final class ProviderMetadata {

	private ProviderMetadata() {
	}

	/** The scopes people's data is released under; clients' own API scopes come on top. */
	static final List<String> USER_SCOPES = List.of("openid", "profile", "phone", "offline_access");

	/**
	 * Every claim an ID token or the userinfo endpoint may carry (OpenID Connect Discovery's
	 * {@code claims_supported}): the protocol's own, then the person's under {@code profile} and {@code phone}.
	 * Capabilities' opt-in claims (the minor marker) go only to clients whose whitelist names them, and are not
	 * advertised.
	 */
	static final List<String> CLAIMS_SUPPORTED = List.of("iss", "sub", "aud", "exp", "iat", "jti", "auth_time", "nonce",
			"azp", "sid", "name", "picture", "phone_number", "phone_number_verified");

	static Set<String> scopesServed(List<ClientDefinition> configured, List<ClientDefinition> contributed) {
		Set<String> scopes = new LinkedHashSet<>(USER_SCOPES);
		configured.forEach(client -> scopes.addAll(client.scopes()));
		contributed.forEach(client -> scopes.addAll(client.scopes()));
		return scopes;
	}

	static void describe(Map<String, Object> claims, String issuer, Set<String> scopes) {
		claims.put("scopes_supported", List.copyOf(scopes));
		claims.put("claims_supported", CLAIMS_SUPPORTED);
		// what the authorization endpoint honours; everything else is refused, never silently ignored
		claims.put("response_modes_supported", List.of("query", "form_post"));
		claims.put("prompt_values_supported", List.copyOf(new java.util.TreeSet<>(AuthorizationRequestRules.PROMPT_VALUES)));
		claims.put("request_parameter_supported", false);
		claims.put("request_uri_parameter_supported", false); // request objects by reference; PAR is separate
		claims.put("claims_parameter_supported", false); // accepted when well-formed, not used: auth_time is always sent
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

	/** OpenID Connect discovery: each client's {@code subject-type} decides which of the two it gets. */
	static void describeSubjectTypes(Map<String, Object> claims) {
		claims.put("subject_types_supported", List.of("public", "pairwise"));
	}

	/** The endpoints a client calls with its certificate, in RFC 8705 §5's {@code mtls_endpoint_aliases}. */
	static final List<String> MTLS_ENDPOINTS = List.of("token_endpoint", "revocation_endpoint",
			"introspection_endpoint", "userinfo_endpoint", "pushed_authorization_request_endpoint");

	/**
	 * Mutual TLS (RFC 8705 §3.3, §5), when the deployment has it ({@code tongxing.mtls.*}): the certificate methods
	 * among the client authentication methods, certificate-bound tokens, and where the endpoints that take a
	 * certificate are when they have a URL of their own.
	 */
	static void describeMtls(Map<String, Object> claims, String issuer, dev.tongxing.server.mtls.MtlsProperties mtls) {
		if (!mtls.enabled()) {
			return;
		}
		for (String name : List.of("token_endpoint_auth_methods_supported", "revocation_endpoint_auth_methods_supported",
				"introspection_endpoint_auth_methods_supported")) {
			List<String> methods = new java.util.ArrayList<>(claims.get(name) instanceof List<?> list
					? list.stream().map(String::valueOf).toList() : List.of());
			mtls.methods().stream().filter(m -> !methods.contains(m)).forEach(methods::add);
			claims.put(name, methods);
		}
		claims.put("tls_client_certificate_bound_access_tokens", true);
		String base = mtls.aliasBase(issuer);
		if (base == null) {
			return;
		}
		Map<String, Object> aliases = new java.util.LinkedHashMap<>();
		for (String endpoint : MTLS_ENDPOINTS) {
			if (claims.get(endpoint) instanceof String url && url.startsWith(issuer)) {
				aliases.put(endpoint, base + url.substring(issuer.length()));
			}
		}
		claims.put("mtls_endpoint_aliases", aliases);
	}

}
