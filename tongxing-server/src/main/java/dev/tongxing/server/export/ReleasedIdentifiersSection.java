package dev.tongxing.server.export;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.kernel.PersonalDataSection;
import java.time.Instant;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The identifiers the account lost because they passed to someone else (a recycled phone number), as its page
 * shows them: masked, since the number is now another person's.
 */
@Component
@Order(3)
class ReleasedIdentifiersSection implements PersonalDataSection {

	record Released(String provider, String identifier, String reason, Instant releasedAt) {
	}

	private final AccountService accounts;

	ReleasedIdentifiersSection(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public String name() {
		return "released_identifiers";
	}

	@Override
	public Object export(String userId) {
		return this.accounts.releasedIdentifiers(userId)
			.stream()
			.map(r -> new Released(r.provider(), r.shownAs(), r.reason(), r.releasedAt()))
			.toList();
	}

}
