package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginMethod;
import dev.tongxing.server.login.LoginMethodSource;
import java.util.List;
import org.springframework.stereotype.Component;

/** Puts "sign in with phone number" on the login page while an SMS sender is configured. */
@Component
class PhoneLoginMethod implements LoginMethodSource {

	private final PhoneVerification verification;

	PhoneLoginMethod(PhoneVerification verification) {
		this.verification = verification;
	}

	@Override
	public List<LoginMethod> loginMethods() {
		if (!this.verification.available()) {
			return List.of();
		}
		return List.of(new LoginMethod("phone", "login.method.phone", "/login/phone", 200));
	}

}
