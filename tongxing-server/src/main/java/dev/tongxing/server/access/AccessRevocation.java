package dev.tongxing.server.access;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.events.SecurityEvents;
import dev.tongxing.server.login.UserSessions;
import dev.tongxing.server.oidc.UserAuthorizations;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.stereotype.Component;

/**
 * Ending a person's access, the one way every cause of it does (consent withdrawal for one app, withdrawal of
 * the privacy policy, a deletion request, a deletion carried out): for the person's id and every id of an
 * account merged into theirs — which their tokens and sessions may still carry — the apps are told
 * (back-channel logout, and the security events the cause calls for), their tokens and remembered consent
 * end, and so do the browser sessions. Runs in the caller's transaction: all of it stands or falls with the
 * change that caused it. Tokens are ended through {@link UserAuthorizations} alone.
 */
@Component
public class AccessRevocation {

	private final AccountService accounts;

	private final UserAuthorizations authorizations;

	private final UserSessions sessions;

	private final SecurityEvents events;

	AccessRevocation(AccountService accounts, UserAuthorizations authorizations, UserSessions sessions,
			SecurityEvents events) {
		this.accounts = accounts;
		this.authorizations = authorizations;
		this.sessions = sessions;
		this.events = events;
	}

	/** What was ended: the apps whose tokens went, and how many browser sessions. */
	public record Ended(Set<String> clients, int sessions) {
	}

	/** Whether each app also gets a CAEP session-revoked event (the deletion sends its own events instead). */
	public enum Notice {
		SESSION_REVOKED, NONE
	}

	/**
	 * Ends every app's access and every session.
	 * @param current the person's own request, whose session and security context end once the caller's
	 * transaction commits; null when the person is not the one asking (a scheduled deletion)
	 */
	public Ended endAll(String userId, Notice notice, HttpServletRequest current) {
		Set<String> ids = this.accounts.withMergedAccounts(userId);
		// before the tokens go: back-channel logout finds the apps' sessions through them
		ids.forEach(this.events::logoutEverywhere);
		if (notice == Notice.SESSION_REVOKED) {
			for (String id : ids) {
				this.authorizations.connected(id).forEach(app -> this.events.sessionRevoked(id, app.clientId()));
			}
		}
		TreeSet<String> clients = new TreeSet<>();
		int ended = 0;
		for (String id : ids) {
			clients.addAll(this.authorizations.revokeAll(id));
			ended += current != null && id.equals(userId) ? this.sessions.endAll(id, current) : this.sessions.endAll(id);
		}
		return new Ended(clients, ended);
	}

	/**
	 * Ends one app's access (consent to it withdrawn): it is told its session ended (CAEP) and logs the person
	 * out (back-channel logout, if it asked for it), and its tokens and remembered consent end — under the
	 * person's id and under any merged account's id the app still holds.
	 */
	public void endForClient(String userId, String clientId) {
		for (String id : this.accounts.withMergedAccounts(userId)) {
			if (!id.equals(userId)
					&& this.authorizations.connected(id).stream().noneMatch(app -> app.clientId().equals(clientId))) {
				continue;
			}
			this.events.sessionRevoked(id, clientId);
			this.events.logout(id, clientId);
			this.authorizations.revoke(id, clientId);
		}
	}

}
