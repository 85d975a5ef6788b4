package dev.tongxing.server.login;

import dev.tongxing.server.account.IdentifierRecycled;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * An account whose identifier passed to someone else (a recycled phone number) is signed out at the gateway
 * everywhere, in the transaction that took the identifier: a session opened with that number may have been the
 * new holder's.
 */
@Component
class RecycledIdentifierSessions {

	private final UserSessions sessions;

	RecycledIdentifierSessions(UserSessions sessions) {
		this.sessions = sessions;
	}

	@EventListener
	void on(IdentifierRecycled changed) {
		this.sessions.endAll(changed.userId());
	}

}
