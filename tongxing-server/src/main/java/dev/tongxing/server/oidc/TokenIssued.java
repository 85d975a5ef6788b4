package dev.tongxing.server.oidc;

import java.time.Instant;
import java.util.Set;

/**
 * Published (as a Spring application event) for every successful token response, whatever the grant.
 * Holds no token values: the audit log and metrics listen to it.
 *
 * @param subject the access token's {@code sub}: a user id, or the client id for client credentials
 * @param grantType the request's {@code grant_type}
 * @param jti the access token's id, or null when it has none
 */
public record TokenIssued(String clientId, String subject, String grantType, String jti, Instant expiresAt,
		Set<String> scopes, boolean refreshToken, boolean idToken) {

}
