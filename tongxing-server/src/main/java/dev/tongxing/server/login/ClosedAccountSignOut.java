package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.core.Ordered;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A browser still signed in as an account that has since been merged into another one (or erased) is signed out
 * at its next request, before any page or the authorization endpoint acts as the closed account; signing in
 * again lands in the account it was merged into. The merge itself leaves the sessions alone: ending every access
 * of a person still finds them under each merged id. Runs just before Spring Security reads the session.
 */
@Component
class ClosedAccountSignOut extends OncePerRequestFilter implements Ordered {

	private final AccountService accounts;

	ClosedAccountSignOut(AccountService accounts) {
		this.accounts = accounts;
	}

	@Override
	public int getOrder() {
		return SecurityFilterProperties.DEFAULT_FILTER_ORDER - 1;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/images/")
				|| path.startsWith("/favicon");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		HttpSession session = request.getSession(false);
		if (session != null && session.getAttribute(
				HttpSessionSecurityContextRepository.SPRING_SECURITY_CONTEXT_KEY) instanceof SecurityContext context
				&& isClosed(context.getAuthentication())) {
			session.invalidate();
		}
		chain.doFilter(request, response);
	}

	private boolean isClosed(Authentication person) {
		// only people signed in by SignIn; other principals (clients, operator tokens) never sit in a session
		if (person == null || !person.isAuthenticated()
				|| person.getAuthorities().stream().noneMatch(a -> "ROLE_USER".equals(a.getAuthority()))) {
			return false;
		}
		// no row at all: an id from before a restore, as closed as an erased one
		return this.accounts.status(person.getName()).map(status -> status != AccountStatus.ACTIVE).orElse(true);
	}

}
