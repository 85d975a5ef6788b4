package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.login.spi.Connector;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Phone and SMS code as the core sees it: "sign in with phone number" on the login page and "bind a phone"
 * on the account page while an SMS sender is configured, the number shown masked, and the SMS provider's
 * probe when it has one (the log sender and "no sender" have none).
 */
@Component
class PhoneLoginMethod implements Connector {

	static final String METHOD = "phone";

	private static final IdentityNamespaces IDENTITIES = new IdentityNamespaces(Set.of(METHOD), false,
			AccountLinking::maskPhone);

	private final PhoneVerification verification;

	private final SmsSender sender;

	@Autowired
	PhoneLoginMethod(PhoneVerification verification, SmsSender sender) {
		this.verification = verification;
		this.sender = sender;
	}

	PhoneLoginMethod(PhoneVerification verification) {
		this(verification, new NoSmsSender());
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.phone", "account.method.phone", "/images/phone.svg", "/login/phone", 200);
	}

	@Override
	public boolean enabled() {
		return this.verification.available();
	}

	@Override
	public IdentityNamespaces identities() {
		return IDENTITIES;
	}

	@Override
	public Optional<AccountLink> accountLink() {
		// an account with a number is offered to change it: the same page, which then asks for more than one code
		return Optional.of(new AccountLink(METHOD, "phone.bind.link", "/account/phone", "bind-" + METHOD, false,
				"phone.change.link", "change-phone"));
	}

	@Override
	public List<Probe> probes() {
		return this.sender.probes()
			.entrySet()
			.stream()
			.map(probe -> new Probe("sms:" + probe.getKey(), METHOD, probe.getValue()))
			.toList();
	}

}
