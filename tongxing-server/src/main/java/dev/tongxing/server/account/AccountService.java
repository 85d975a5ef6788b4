package dev.tongxing.server.account;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What other packages may ask of accounts. */
public interface AccountService {

	/**
	 * Resolves an external identity to its user, creating the user (and the link) on first sign-in, in one
	 * transaction: a crash never leaves a user without its identity.
	 */
	UserAccount signIn(ExternalIdentity identity);

	Optional<UserAccount> find(String userId);

	/** Standard OpenID Connect claims about the user that the given scopes allow. */
	Map<String, Object> claims(String userId, Set<String> scopes);

}
