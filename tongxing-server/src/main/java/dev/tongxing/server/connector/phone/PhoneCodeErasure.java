package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.stereotype.Component;

/**
 * When an account is deleted, the SMS codes and send-limit history of its phone numbers go too: they hold a
 * keyed digest of each number, which would otherwise outlive the account by up to two days.
 */
@Component
class PhoneCodeErasure implements ErasureParticipant {

	private final AccountService accounts;

	private final PhoneDigests digests;

	private final PhoneCodes codes;

	PhoneCodeErasure(AccountService accounts, PhoneDigests digests, PhoneCodes codes) {
		this.accounts = accounts;
		this.digests = digests;
		this.codes = codes;
	}

	@Override
	public String name() {
		return "phone-codes";
	}

	@Override
	public void erase(String userId) {
		this.accounts.identities(userId)
			.stream()
			.filter(identity -> "phone".equals(identity.provider()))
			.forEach(identity -> this.codes.forgetPhone(this.digests.phone(identity.key())));
	}

}
