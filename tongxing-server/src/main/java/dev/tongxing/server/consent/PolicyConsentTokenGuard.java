package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.UserTokenGuard;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.stereotype.Component;

/**
 * No tokens for a person who took their consent to the privacy policy back, until they agree again: the
 * dialog at sign-in asks, but an app must not get a token by going around it (e.g. straight back to the
 * authorization endpoint with the new session). Only while the dialog is on — without it there is no way
 * to agree again.
 */
@Component
class PolicyConsentTokenGuard implements UserTokenGuard {

	private final ConsentRecords records;

	private final boolean dialogEnabled;

	PolicyConsentTokenGuard(ConsentRecords records,
			@Value("${tongxing.privacy.consent-dialog:true}") boolean dialogEnabled) {
		this.records = records;
		this.dialogEnabled = dialogEnabled;
	}

	@Override
	public void check(String userId, String clientId) {
		if (this.dialogEnabled && this.records.policyConsentTakenBack(userId)) {
			throw new OAuth2AuthenticationException(new OAuth2Error(OAuth2ErrorCodes.INVALID_GRANT,
					"The person withdrew their consent to the privacy policy; they must agree again at sign-in",
					null));
		}
	}

}
