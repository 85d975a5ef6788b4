package dev.tongxing.server.oidc;

import java.util.Map;
import java.util.Set;

/**
 * Claims a capability adds about a person (the minor marker), released only to a client whose data-sharing
 * whitelist ({@code tongxing.clients[*].claims}) names each one: an empty whitelist, which lets through what the
 * scopes allow, does not let these through.
 */
public interface OptInClaims {

	/** @return the claims for the person under the granted scopes, by name */
	Map<String, Object> claims(String userId, Set<String> scopes);

}
