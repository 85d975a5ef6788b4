package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An account merged into another one is closed: its browser sessions end with the merge (in its transaction),
 * so no browser goes on acting as the closed account — adding a passkey to it, say. Signing in again lands in
 * the account it was merged into. The apps' tokens are not touched: they carry on for the same person.
 */
@Component
class MergedAccountSessions {

	private final UserSessions sessions;

	MergedAccountSessions(UserSessions sessions) {
		this.sessions = sessions;
	}

	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() == AccountChangeKind.MERGED_INTO) {
			this.sessions.endAll(changed.userId());
		}
	}

}
