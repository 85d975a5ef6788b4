package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.List;
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

	public LoginCompletion(AccountService accounts, SignIn signIn, List<PostLoginStep> steps) {
		this.accounts = accounts;
		this.signIn = signIn;
		this.steps = steps;
	}

	/** @return the URL to redirect the browser to */
	public String complete(ExternalIdentity identity, HttpServletRequest request, HttpServletResponse response) {
		UserAccount user = this.accounts.signIn(identity);
		String next = this.signIn.complete(user, identity.method(), request, response);
		for (PostLoginStep step : this.steps) {
			var interposed = step.interpose(user, identity.method(), next, request);
			if (interposed.isPresent()) {
				return interposed.get();
			}
		}
		return next;
	}

}
