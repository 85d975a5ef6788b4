package dev.tongxing.server.oidc;

import java.util.Set;

/**
 * Published (as a Spring application event) whenever personal data about a user goes to a client: claims
 * in an ID token or a userinfo response. Names the claims, never their values; the audit log records it.
 *
 * @param channel {@code id_token} or {@code userinfo}
 */
public record PersonalDataReleased(String clientId, String subject, Set<String> claims, String channel) {

}
