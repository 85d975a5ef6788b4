package dev.tongxing.server.account;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Adding a proven sign-in method to the signed-in person's account. When the method already belongs to
 * another account, nothing happens silently: the person has now proved both accounts (signed in to one,
 * just proved the other's method), and is asked to confirm a merge.
 */
@Component
public class AccountLinking {

	static final String PENDING_MERGE = "tongxing.account.pending-merge";

	/** A merge waiting for the person's confirmation (kept in the session, which lives in the database). */
	record PendingMerge(String intoUserId, String fromUserId, String method, String what) implements Serializable {
	}

	private final AccountService accounts;

	public AccountLinking(AccountService accounts) {
		this.accounts = accounts;
	}

	/**
	 * @param what a short, display-safe description of the proven method (e.g. a masked phone number)
	 * @return where to send the browser: back to the account page, or to the merge confirmation
	 */
	public String link(String userId, List<IdentityKey> keys, String method, String what, HttpSession session) {
		String otherUser = null;
		for (IdentityKey key : keys) {
			if (this.accounts.link(userId, key, method) == AccountService.LinkResult.CONFLICT) {
				otherUser = this.accounts.userFor(key).orElse(null);
			}
		}
		if (otherUser == null) {
			return "/account?notice=linked";
		}
		session.setAttribute(PENDING_MERGE, new PendingMerge(userId, otherUser, method, what));
		return "/account/merge";
	}

	/** Shows a phone number the way it may be shown on a page: +86 138****8000. */
	public static String maskPhone(String e164) {
		if (e164 == null || e164.length() < 8) {
			return "****";
		}
		int keep = 4;
		return e164.substring(0, e164.length() - 8) + "****" + e164.substring(e164.length() - keep);
	}

}
