package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Where every browser login method ends once the upstream has proved who the person is: the identity is
 * resolved to one account, the person signed in, and sent on (back to the client that asked, usually).
 */
@Component
public class LoginCompletion {

	private final AccountService accounts;

	private final SignIn signIn;

	private final List<PostLoginStep> steps;

	private final ApplicationEventPublisher events;

	public LoginCompletion(AccountService accounts, SignIn signIn, List<PostLoginStep> steps,
			ApplicationEventPublisher events) {
		this.accounts = accounts;
		this.signIn = signIn;
		this.steps = steps;
		this.events = events;
	}

	/** @return the URL to redirect the browser to */
	public String complete(ExternalIdentity identity, HttpServletRequest request, HttpServletResponse response) {
		return complete(identity, null, request, response);
	}

	/**
	 * @param app the upstream app that proved the identity (a WeChat appid, …), or null
	 * @return the URL to redirect the browser to
	 */
	public String complete(ExternalIdentity identity, String app, HttpServletRequest request,
			HttpServletResponse response) {
		UserAccount user = this.accounts.signIn(identity);
		String next = this.signIn.complete(user, identity.method(), request, response);
		this.events.publishEvent(LoginAttempted.succeeded(identity.method(), app, user.id(), request.getRemoteAddr()));
		for (PostLoginStep step : this.steps) {
			var interposed = step.interpose(user, identity.method(), next, request);
			if (interposed.isPresent()) {
				return interposed.get();
			}
		}
		return next;
	}

	/** Records a login that failed, for metrics, incidents and the person's complaint ticket. */
	public void failed(String method, String app, LoginFailureCause cause, String upstreamError,
			HttpServletRequest request) {
		this.events.publishEvent(LoginAttempted.failed(method, app, cause, upstreamError, request.getRemoteAddr()));
	}

}
