package dev.tongxing.server.consent;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.NativeLoginGate;
import dev.tongxing.server.oidc.OAuth2ErrorWithParameters;
import dev.tongxing.server.oidc.OidcProperties;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.stereotype.Component;

/**
 * The privacy policy for native apps: they show it themselves and say which version the person accepted
 * ({@code policy_version}); a missing or outdated one is {@code consent_required}, naming the version to
 * show. Once the account is known the acceptance is recorded ({@code native-app}).
 */
@Component
class NativeAppPolicyConsent implements NativeLoginGate {

	static final String POLICY_VERSION = "policy_version";

	private final PrivacyPolicies policies;

	private final ConsentRecords consents;

	private final String policyUri;

	NativeAppPolicyConsent(PrivacyPolicies policies, ConsentRecords consents, OidcProperties oidc) {
		this.policies = policies;
		this.consents = consents;
		this.policyUri = oidc.issuer() + "/privacy/policy";
	}

	@Override
	public Set<String> parameters() {
		return Set.of(POLICY_VERSION);
	}

	@Override
	public Consumer<UserAccount> admit(String method, List<String> dataCategories, Map<String, String> parameters) {
		PrivacyPolicy policy = acceptedPolicy(parameters.get(POLICY_VERSION));
		return user -> this.consents.record(ConsentRecords.Decision.policy(user.id(), policy,
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
