package dev.tongxing.server.deletion;

import dev.tongxing.server.oidc.UserTokenGuard;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

/**
 * No client gets tokens for an account waiting to be deleted, by any grant, until the person cancels the
 * deletion: the token endpoint answers {@code invalid_grant} (the grant was given by an account that is now
 * disabled).
 */
@Component
class PendingDeletionTokenGuard implements UserTokenGuard {

	private final DeletionRequests requests;

	PendingDeletionTokenGuard(DeletionRequests requests) {
		this.requests = requests;
	}

	@Override
	public void check(String userId, String clientId) {
		if (this.requests.pending(userId).isPresent()) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The account is waiting to be deleted; it gets no tokens unless the person cancels the deletion",
					null));
		}
	}

}
