package dev.tongxing.server.consent;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.LoginGate;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * When the privacy-policy dialog is shown: to every new person before an account exists, and to a person
 * whose accepted version was overtaken by a material change (or who never accepted one) at sign-in.
 * {@code tongxing.privacy.consent-dialog=false} turns it off (tests about other things do).
 */
@Component
class ConsentGate implements LoginGate, PostLoginStep {

	private final PrivacyPolicies policies;

	private final ConsentRecords records;

	private final boolean enabled;

	ConsentGate(PrivacyPolicies policies, ConsentRecords records,
			@Value("${tongxing.privacy.consent-dialog:true}") boolean enabled) {
		this.policies = policies;
		this.records = records;
		this.enabled = enabled;
	}

	@Override
	public Optional<String> ask(ExternalIdentity identity, HttpServletRequest request) {
		return this.enabled ? Optional.of("/privacy/consent") : Optional.empty();
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if (!this.enabled) {
			return Optional.empty();
		}
		Optional<String> accepted = this.records.acceptedPolicyVersion(user.id());
		if (accepted.isPresent() && this.policies.stillAccepted(accepted.get())) {
			return Optional.empty();
		}
		request.getSession().setAttribute(ConsentDialogController.RENEW_CONTINUE, continueUrl);
		return Optional.of("/privacy/consent?renew");
	}

}
