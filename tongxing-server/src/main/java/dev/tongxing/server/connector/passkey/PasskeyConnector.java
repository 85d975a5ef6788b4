package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Passkeys as the core sees them: "sign in with a passkey" on the login page (a button, and the browser's
 * autofill), each passkey its own way in on the account page (shown by the name the person gave it), "add a
 * passkey" offered however many the account has. Nothing upstream to probe: the browser is the authenticator's
 * only way here.
 */
@Component
class PasskeyConnector implements Connector {

	static final String LOGIN_FRAGMENT = "passkey/login-method";

	private final PasskeyProperties properties;

	private final boolean issuerCarriesPasskeys;

	private final PasskeyCredentials credentials;

	PasskeyConnector(PasskeyProperties properties, @Value("${tongxing.issuer}") String issuer,
			PasskeyCredentials credentials) {
		this.properties = properties;
		this.issuerCarriesPasskeys = RelyingParty.of(issuer).isPresent();
		this.credentials = credentials;
	}

	@Override
	public String id() {
		return Passkeys.METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.passkey", "account.method.passkey", "/images/passkey.svg", "/login/passkey", 150);
	}

	@Override
	public boolean enabled() {
		return this.properties.enabled() && this.issuerCarriesPasskeys;
	}

	@Override
	public List<LoginMethod> loginMethods() {
		if (!enabled()) {
			return List.of();
		}
		Labels labels = labels();
		return List.of(new LoginMethod(id(), labels.loginKey(), labels.loginHref(), labels.order(), null, LOGIN_FRAGMENT, labels.icon()));
	}

	@Override
	public IdentityNamespaces identities() {
		// the detail is the name the person gave the passkey (theirs to see; the key itself is only a row id)
		return new IdentityNamespaces(Set.of(Passkeys.PROVIDER), false,
				id -> this.credentials.find(id).map(PasskeyCredentials.Passkey::label).orElse(""));
	}

	@Override
	public Optional<AccountLink> accountLink() {
		return Optional.of(new AccountLink(Passkeys.PROVIDER, "passkey.add.link", "/account/passkeys", "add-passkey", true));
	}

	@Override
	public FailureAdvice failureAdvice() {
		Map<String, FailureAdvice.Advice> codes = new java.util.LinkedHashMap<>();
		codes.put("bad-origin", advice(LoginFailureCause.RISK_CONTROL, "bad-origin"));
		codes.put("bad-rp-id", advice(LoginFailureCause.OUR_CONFIGURATION, "bad-rp-id"));
		codes.put("bad-challenge", advice(LoginFailureCause.STATE_INVALID, "bad-challenge"));
		codes.put("state-invalid", advice(LoginFailureCause.STATE_INVALID, "state-invalid"));
		codes.put("bad-signature", advice(LoginFailureCause.RISK_CONTROL, "bad-signature"));
		codes.put("counter-regressed", advice(LoginFailureCause.RISK_CONTROL, "counter-regressed"));
		codes.put("verification-failed", advice(LoginFailureCause.RISK_CONTROL, "verification-failed"));
		codes.put("user-not-verified", advice(LoginFailureCause.USER_INPUT, "user-not-verified"));
		codes.put("unknown-credential", advice(LoginFailureCause.USER_INPUT, "unknown-credential"));
		codes.put("malformed", advice(LoginFailureCause.USER_INPUT, "malformed"));
		codes.put("already-added", advice(LoginFailureCause.USER_INPUT, "already-added"));
		codes.put("too-many-attempts", advice(LoginFailureCause.RISK_CONTROL, "too-many-attempts"));
		return new FailureAdvice(codes);
	}

	private static FailureAdvice.Advice advice(LoginFailureCause cause, String code) {
		return new FailureAdvice.Advice(cause, "ops.passkey." + code);
	}

	@Override
	public List<String> configurationProblems() {
		return List.of();
	}

}
