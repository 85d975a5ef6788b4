package dev.tongxing.server.oidc;

/**
 * A person signed out at the provider through RP-initiated logout: the clients their browser session signed in
 * to are to be told (OpenID Connect Back-Channel Logout 1.0 §2.7).
 *
 * @param userId the person's id
 * @param sid the session id the ID tokens of that browser session carried
 */
public record SignedOutAtProvider(String userId, String sid) {
}
