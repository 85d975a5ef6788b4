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
 * of a person still finds them under each merged id. Runs just before Spring Security reads the session. An account
 * seen active is believed so for a few seconds, so a signed-in person's pages cost no extra query each.
 */
@Component
class ClosedAccountSignOut extends OncePerRequestFilter implements Ordered {

	/** How long an account seen active is believed so: a merge reaches its browsers within this, not at once. */
	static final long ACTIVE_FOR_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(5);

	/** Enough people signed in on one node; past it the memory starts afresh rather than grow. */
	private static final int REMEMBERED = 50_000;

	private final AccountService accounts;

	/**
	 * Accounts seen active, until when (System.nanoTime): merges and erasures are rare, and without this every page
	 * and authorization request of a signed-in person would cost one more query.
	 */
	private final java.util.concurrent.ConcurrentHashMap<String, Long> active = new java.util.concurrent.ConcurrentHashMap<>();

	ClosedAccountSignOut(AccountService accounts) {
		this.accounts = accounts;
	}

	/**
	 * On this node as soon as the change commits (before, a request would read the account active again); another
	 * node believes an account active no longer than {@link #ACTIVE_FOR_NANOS}.
	 */
	@org.springframework.transaction.event.TransactionalEventListener(fallbackExecution = true)
	void on(dev.tongxing.server.account.AccountChanged change) {
		if (change.kind() == dev.tongxing.server.account.AccountChangeKind.MERGED_INTO
				|| change.kind() == dev.tongxing.server.account.AccountChangeKind.ERASE) {
			this.active.remove(change.userId());
		}
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
		String id = person.getName();
		long now = System.nanoTime();
		Long until = this.active.get(id);
		if (until != null && now - until < 0) {
			return false;
		}
		// no row at all: an id from before a restore, as closed as an erased one
		boolean closed = this.accounts.status(id).map(status -> status != AccountStatus.ACTIVE).orElse(true);
		if (closed) {
			this.active.remove(id);
		}
		else {
			if (this.active.size() >= REMEMBERED) {
				this.active.clear();
			}
			this.active.put(id, now + ACTIVE_FOR_NANOS);
		}
		return closed;
	}

}
