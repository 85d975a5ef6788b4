package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;

/**
 * Where every browser login method ends once the upstream has proved who the person is: the identity is
 * resolved to one account, the person signed in, and sent on (back to the client that asked, usually).
 */
@Component
public class LoginCompletion {

	private final AccountService accounts;

	private final SignIn signIn;

	public LoginCompletion(AccountService accounts, SignIn signIn) {
		this.accounts = accounts;
		this.signIn = signIn;
	}

	/** @return the URL to redirect the browser to */
	public String complete(ExternalIdentity identity, HttpServletRequest request, HttpServletResponse response) {
		UserAccount user = this.accounts.signIn(identity);
		return this.signIn.complete(user, identity.method(), request, response);
	}

}
