package dev.tongxing.server.deletion;

import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.PostLoginStep;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * Signing in during the cooling-off: before anything else, the person is asked whether to cancel the
 * deletion (and go on where they were going) or keep it (and be signed out again).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
class PendingDeletionStep implements PostLoginStep {

	/** The sign-in that waits for the person's answer: where it was going, and how the person signed in. */
	static final String WAITING = "tongxing.deletion.waiting";

	record WaitingSignIn(String continueUrl, String method) implements java.io.Serializable {
	}

	static final String PAGE = "/account/deletion/pending";

	private final DeletionRequests requests;

	PendingDeletionStep(DeletionRequests requests) {
		this.requests = requests;
	}

	@Override
	public Optional<String> interpose(UserAccount user, String method, String continueUrl, HttpServletRequest request) {
		if (this.requests.pending(user.id()).isEmpty()) {
			return Optional.empty();
		}
		request.getSession().setAttribute(WAITING, new WaitingSignIn(continueUrl, method));
		return Optional.of(PAGE);
	}

}
