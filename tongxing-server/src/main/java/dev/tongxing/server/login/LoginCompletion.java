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

	private final List<LoginGate> gates;

	static final String PENDING = "tongxing.login.pending";

	/** A login waiting at a gate (kept in the session, which lives in the database). */
	record PendingLogin(ExternalIdentity identity, String app) implements java.io.Serializable {
	}

	public LoginCompletion(AccountService accounts, SignIn signIn, List<PostLoginStep> steps,
			ApplicationEventPublisher events, List<LoginGate> gates) {
		this.accounts = accounts;
		this.signIn = signIn;
		this.steps = steps;
		this.events = events;
		this.gates = gates;
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
		// a recycled number's new holder is a new person too: the gates come first, as for anyone new
		boolean newPerson = this.accounts.wouldCreate(identity);
		if (newPerson) {
			for (LoginGate gate : this.gates) {
				var page = gate.ask(identity, request);
				if (page.isPresent()) {
					request.getSession().setAttribute(PENDING, new PendingLogin(identity, app));
					return page.get();
				}
			}
		}
		return finish(identity, app, request, response);
	}

	/** The login waiting at a gate, if any. */
	public java.util.Optional<ExternalIdentity> pending(HttpServletRequest request) {
		var session = request.getSession(false);
		return session != null && session.getAttribute(PENDING) instanceof PendingLogin pending
				? java.util.Optional.of(pending.identity()) : java.util.Optional.empty();
	}

	/**
	 * Completes the login that waited at a gate: the account is created now.
	 * @param onAccount runs once the account exists, before the person is signed in (e.g. to record the
	 * consent the gate asked for, which the steps after sign-in check)
	 * @return the account and where to send the browser, or empty when nothing was waiting
	 */
	public java.util.Optional<Resumed> resume(HttpServletRequest request, HttpServletResponse response,
			java.util.function.Consumer<UserAccount> onAccount) {
		var session = request.getSession(false);
		if (session == null || !(session.getAttribute(PENDING) instanceof PendingLogin pending)) {
			return java.util.Optional.empty();
		}
		session.removeAttribute(PENDING);
		UserAccount user = this.accounts.signIn(pending.identity());
		onAccount.accept(user);
		String next = finishSignedIn(user, pending.identity(), pending.app(), request, response);
		return java.util.Optional.of(new Resumed(user, next));
	}

	public record Resumed(UserAccount user, String next) {
	}

	/** The person said no at a gate: nothing is created, and the login counts as failed for that cause. */
	public void abandon(LoginFailureCause cause, HttpServletRequest request) {
		var session = request.getSession(false);
		if (session != null && session.getAttribute(PENDING) instanceof PendingLogin pending) {
			session.removeAttribute(PENDING);
			failed(pending.identity().method(), pending.app(), cause, null, request);
		}
	}

	private String finish(ExternalIdentity identity, String app, HttpServletRequest request,
			HttpServletResponse response) {
		UserAccount user = this.accounts.signIn(identity);
		return finishSignedIn(user, identity, app, request, response);
	}

	private String finishSignedIn(UserAccount user, ExternalIdentity identity, String app,
			HttpServletRequest request, HttpServletResponse response) {
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
