package dev.tongxing.server.oidc;

import java.util.Optional;

/**
 * The subs clients knew people by before they came to the gateway (people imported with {@code subs}): they win
 * over the ones the gateway computes. Implemented outside this package (transfer), so that the provider knows
 * nothing of imports.
 */
public interface PreservedSubjects {

	/** The sub the client knew the user by, if any. */
	Optional<String> preservedSubject(String userId, String clientId);

	/** The user a preserved sub of the client stands for, if it is one. */
	Optional<String> preservedUser(String subject, String clientId);

}
