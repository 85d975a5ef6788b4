package dev.tongxing.server.lockout;

import java.util.function.Supplier;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Wraps the provider that checks a password: refuses at once while the name or the address is locked out (the same
 * refusal as a wrong password, so a lockout tells an attacker nothing and costs no hash), and reports each wrong and
 * right password to {@link FailedPasswords}.
 */
public final class ThrottledPasswordCheck implements AuthenticationProvider {

	private final AuthenticationProvider delegate;

	private final FailedPasswords failures;

	private final FailedPasswords.Kind kind;

	private final Supplier<AuthenticationException> refusal;

	public ThrottledPasswordCheck(AuthenticationProvider delegate, FailedPasswords failures, FailedPasswords.Kind kind,
			Supplier<AuthenticationException> refusal) {
		this.delegate = delegate;
		this.failures = failures;
		this.kind = kind;
		this.refusal = refusal;
	}

	@Override
	public Authentication authenticate(Authentication authentication) throws AuthenticationException {
		if (authentication.getCredentials() == null) {
			return this.delegate.authenticate(authentication); // no password in this request (a public client)
		}
		String name = authentication.getName();
		String address = authentication.getDetails() instanceof WebAuthenticationDetails details ? details.getRemoteAddress()
				: null;
		FailedPasswords.Standing standing = this.failures.standing(this.kind, name, address);
		if (standing.lockedOut()) {
			throw this.refusal.get();
		}
		Authentication result;
		try {
			result = this.delegate.authenticate(authentication);
		}
		catch (AuthenticationException wrong) {
			this.failures.failed(this.kind, name, address);
			throw wrong;
		}
		if (result != null && result.isAuthenticated() && standing.nameHasFailures()) {
			this.failures.succeeded(this.kind, name);
		}
		return result;
	}

	@Override
	public boolean supports(Class<?> authentication) {
		return this.delegate.supports(authentication);
	}

}
