package dev.tongxing.server.oidc;

import org.springframework.security.oauth2.core.OAuth2AuthenticationException;

/**
 * A last word before any token is issued for a person, whatever the grant (authorization code, refresh,
 * token exchange): e.g. an account waiting to be deleted gets none. Client-credentials tokens name no
 * person and are not asked about.
 */
public interface UserTokenGuard {

	/**
	 * @throws OAuth2AuthenticationException (e.g. {@code invalid_grant}) when no token may be issued for the
	 * user now; the token endpoint answers with it
	 */
	void check(String userId, String clientId);

}
