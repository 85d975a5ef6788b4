package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.account.AccountService;
import java.time.Instant;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Every way the person signs in, with its identifier in full (phone number, WeChat openid/UnionID, …) and the
 * avatar it brought at its last sign-in, if any.
 */
@Component
@Order(2)
class SignInMethodsSection implements PersonalDataSection {

	record SignInMethod(String provider, String identifier, Instant linkedAt, Instant lastSignInAt, String picture) {
	}

	private final AccountService accounts;

	SignInMethodsSection(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public String name() {
		return "sign_in_methods";
	}

	@Override
	public Object export(String userId) {
		java.util.Map<String, String> pictures = this.accounts.identityPictures(userId);
		return this.accounts.identities(userId)
			.stream()
			.map(i -> new SignInMethod(i.provider(), i.key(), i.createdAt(), i.lastLoginAt(), pictures.get(i.id())))
			.toList();
	}

}
