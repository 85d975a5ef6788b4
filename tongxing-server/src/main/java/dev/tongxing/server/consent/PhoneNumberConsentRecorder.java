package dev.tongxing.server.consent;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Records, first of all the steps after a sign-in with the phone, the separate consent the phone login page
 * asked for before the number was sent (it waited in the session, as nobody was signed in). Shows nothing.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PhoneNumberConsentRecorder implements PostLoginStep {

	private final PhoneNumberConsent consent;

	PhoneNumberConsentRecorder(PhoneNumberConsent consent) {
		this.consent = consent;
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if ("phone".equals(method)) {
			this.consent.signedIn(user.id(), request);
		}
		return Optional.empty();
	}

}
