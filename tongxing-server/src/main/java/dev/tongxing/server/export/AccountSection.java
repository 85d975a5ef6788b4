package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.account.AccountService;
import java.time.Instant;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** The account itself: its id (the {@code sub} every app sees), state and profile. */
@Component
@Order(1)
class AccountSection implements PersonalDataSection {

	record Account(String id, String status, Instant createdAt, String displayName, String pictureUrl) {
	}

	private final AccountService accounts;

	AccountSection(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public String name() {
		return "account";
	}

	@Override
	public Object export(String userId) {
		return this.accounts.find(userId)
			.map(user -> new Account(user.id(), user.status().code(), user.createdAt(), user.displayName(),
					user.pictureUrl()))
			.orElse(null);
	}

}
