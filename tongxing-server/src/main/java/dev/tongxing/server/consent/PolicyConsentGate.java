package dev.tongxing.server.consent;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.LoginGate;
import dev.tongxing.server.login.NativeLoginGate;
import dev.tongxing.server.login.PostLoginStep;
import dev.tongxing.server.oidc.OAuth2ErrorWithParameters;
import dev.tongxing.server.oidc.OidcProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;

/**
 * The privacy-policy question, declared once for every way in.
 * <p>
 * In the browser: the dialog is shown to every new person before an account exists, and to a person whose
 * accepted version was overtaken by a material change (or who never accepted one) at sign-in.
 * {@code tongxing.privacy.consent-dialog=false} turns the dialog off (tests about other things do).
 * <p>
 * Native apps show the policy themselves and say which version the person accepted ({@code policy_version}); a
 * missing or outdated one is {@code consent_required}, naming the version to show. Once the account is known the
 * acceptance is recorded ({@code native-app}).
 */
@Component
class PolicyConsentGate implements LoginGate, PostLoginStep, NativeLoginGate {

	static final String POLICY_VERSION = "policy_version";

	private final PrivacyPolicies policies;

	private final ConsentRecords records;

	private final boolean enabled;

	private final String policyUri;

	PolicyConsentGate(PrivacyPolicies policies, ConsentRecords records,
			@Value("${tongxing.privacy.consent-dialog:true}") boolean enabled, OidcProperties oidc) {
		this.policies = policies;
		this.records = records;
		this.enabled = enabled;
		this.policyUri = oidc.issuer() + "/privacy/policy";
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

	@Override
	public Set<String> parameters() {
		return Set.of(POLICY_VERSION);
	}

	@Override
	public Consumer<UserAccount> admit(String method, List<String> dataCategories, Map<String, String> parameters) {
		PrivacyPolicy policy = acceptedPolicy(parameters.get(POLICY_VERSION));
		return user -> this.records.record(ConsentRecords.Decision.policy(user.id(), policy,
				ConsentRecords.State.GIVEN, dataCategories, ConsentRecords.Method.NATIVE_APP));
	}

	private PrivacyPolicy acceptedPolicy(String version) {
		PrivacyPolicy current = this.policies.current();
		if (version != null && this.policies.stillAccepted(version)) {
			return this.policies.version(version).orElseThrow();
		}
		throw new OAuth2ErrorWithParameters(new OAuth2Error("consent_required",
				version == null ? "policy_version is required: show the privacy policy and send the version accepted"
						: "The privacy policy changed: show the current version and ask again",
				null), Map.of("policy_version", current.version(), "policy_uri", this.policyUri));
	}

}
