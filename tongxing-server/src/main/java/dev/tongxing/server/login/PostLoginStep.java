package dev.tongxing.server.login;

import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * A page a person may be shown right after signing in, before going back to the client (e.g. the
 * invitation to bind a phone as a backup). It must always let them continue.
 */
public interface PostLoginStep {

	/**
	 * @param continueUrl where the person goes after the step (or instead of it)
	 * @return the step's URL, or empty when it does not apply
	 */
	Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request);

}
