package dev.tongxing.server.account;

import java.util.List;

/**
 * Many new accounts made at once ({@link AccountService#createImportedAll}), published inside the transaction
 * that makes them, instead of an {@link AccountChanged} per creation and link: a listener handles the whole
 * batch in a few statements. Each account is new, so no app knows it yet and nothing was linked to it before.
 *
 * @param method how they came to be (e.g. {@code import})
 */
public record AccountsCreated(List<Created> accounts, String method) {

	/** One new account and the providers of the keys it was created with (never the keys). */
	public record Created(String userId, List<String> providers) {
	}

}
