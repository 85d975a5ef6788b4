package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A passkey lives only while it is a way in: when the account is deleted every passkey created for it (or for
 * an account merged into it) goes, and when its way in is removed on the account page, the credential goes
 * with it, in the same transaction (so a refused removal keeps both).
 */
@Component
class PasskeyErasure implements ErasureParticipant {

	private final PasskeyCredentials credentials;

	private final AccountService accounts;

	PasskeyErasure(PasskeyCredentials credentials, AccountService accounts) {
		this.credentials = credentials;
		this.accounts = accounts;
	}

	@Override
	public String name() {
		return "passkeys";
	}

	@Override
	public void erase(String userId) {
		this.credentials.idsCreatedFor(this.accounts.withMergedAccounts(userId)).forEach(this.credentials::remove);
	}

	@EventListener
	void onUnlink(AccountChanged change) {
		if (change.kind() != AccountChangeKind.UNLINK || !Passkeys.PROVIDER.equals(change.provider())) {
			return;
		}
		for (String id : this.credentials.idsCreatedFor(this.accounts.withMergedAccounts(change.userId()))) {
			if (this.accounts.userFor(new ExternalIdentity.IdentityKey(Passkeys.PROVIDER, id)).isEmpty()) {
				this.credentials.remove(id);
			}
		}
	}

}
