package dev.tongxing.server.oidc;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

/**
 * Tokens only for accounts that are active: a refresh token granted to an account that was since merged into
 * another (or erased) gets {@code invalid_grant}, and the app signs the person in again, under the surviving
 * account's {@code sub}.
 */
@Component
class ActiveAccountTokenGuard implements UserTokenGuard {

	private final AccountService accounts;

	ActiveAccountTokenGuard(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public void check(String userId, String clientId) {
		this.accounts.status(userId).filter(status -> status != AccountStatus.ACTIVE).ifPresent(status -> {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					status == AccountStatus.MERGED
							? "The account was merged into another; sign in again"
							: "The account no longer exists",
					null));
		});
	}

}
