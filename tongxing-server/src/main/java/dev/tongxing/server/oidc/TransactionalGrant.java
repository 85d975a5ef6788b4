package dev.tongxing.server.oidc;

import java.util.List;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationCodeAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2RefreshTokenAuthenticationProvider;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * One transaction for a whole user grant (authorization code, refresh token): its reads and writes — the
 * authorization row, the token guards, the profile, the rotated-out refresh token, the recipient record, the
 * staged audit entry — commit once instead of each on its own (7–9 commits before). The token response is written
 * after the commit, so it still leaves only once everything it stands for is durable.
 * <p>
 * A refusal commits what it wrote: a reused code or refresh token revokes its tokens or family and then refuses,
 * and that revocation must stand. Any other failure rolls the grant back whole. The client-credentials grant is
 * not wrapped: it writes nothing on the request thread, and a transaction would only take a connection for it.
 */
final class TransactionalGrant implements AuthenticationProvider {

	private final AuthenticationProvider grant;

	private final TransactionTemplate transaction;

	private TransactionalGrant(AuthenticationProvider grant, TransactionTemplate transaction) {
		this.grant = grant;
		this.transaction = transaction;
	}

	/** Wraps the user grants among Spring Authorization Server's token providers. */
	static void wrapUserGrants(List<AuthenticationProvider> providers, TransactionTemplate transaction) {
		providers.replaceAll(provider -> provider instanceof OAuth2AuthorizationCodeAuthenticationProvider
				|| provider instanceof OAuth2RefreshTokenAuthenticationProvider ? new TransactionalGrant(provider, transaction)
						: provider);
	}

	@Override
	public Authentication authenticate(Authentication authentication) {
		Object outcome = this.transaction.execute(status -> {
			try {
				return this.grant.authenticate(authentication);
			}
			catch (AuthenticationException refused) {
				return refused;
			}
		});
		if (outcome instanceof AuthenticationException refused) {
			throw refused;
		}
		return (Authentication) outcome;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return this.grant.supports(authentication);
	}

}
