package dev.tongxing.server.console;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken;
import org.springframework.security.web.context.HttpSessionSecurityContextRepository;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.stereotype.Service;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's sign-ins: kept in the browser's session beside (never instead of) the person's own sign-in at the
 * gateway, under a key of their own; each ends after {@code tongxing.admin.console.idle-timeout} without a request,
 * and at once when the operator no longer holds any role (roles are read again on every request, so a change
 * shows at the next one). Sign-ins, refusals, failed codes and sign-outs are audited.
 */
@Service
public class ConsoleSessions {

	/** An operator signed in to the console (both steps); details: the second factor, whether it was enrolled now. */
	public static final String SIGNED_IN = "admin.console.signed-in";

	/** A console sign-in ended; detail {@code reason}: {@code sign-out}, {@code idle-timeout}, {@code roles-removed}. */
	public static final String SIGNED_OUT = "admin.console.signed-out";

	/** Someone without an operator role signed in at the gateway for the console and was turned away. */
	public static final String REFUSED = "admin.console.refused";

	/** A wrong second-factor code (detail {@code step}: {@code enrol} or {@code sign-in}, {@code locked}). */
	public static final String SECOND_FACTOR_FAILED = "admin.console.second-factor-failed";

	static final String CONTEXT_KEY = "tongxing.console.security-context";

	static final String LAST_SEEN = "tongxing.console.last-seen";

	static final String SAVED_REQUEST = "tongxing.console.saved-request";

	private final HttpSessionSecurityContextRepository contexts = new HttpSessionSecurityContextRepository();

	private final HttpSessionRequestCache requests = new HttpSessionRequestCache();

	private final Operators operators;

	private final AuditLog audit;

	private final ConsoleProperties properties;

	private final Clock clock;

	ConsoleSessions(Operators operators, AuditLog audit, ConsoleProperties properties, Clock clock) {
		this.operators = operators;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.contexts.setSpringSecurityContextKey(CONTEXT_KEY);
		this.contexts.setAllowSessionCreation(true);
		this.requests.setSessionAttrName(SAVED_REQUEST);
		// only pages are come back to after signing in (not a script, an asset or a form's post)
		org.springframework.security.web.util.matcher.MediaTypeRequestMatcher pages = new org.springframework.security.web.util.matcher.MediaTypeRequestMatcher(
				org.springframework.http.MediaType.TEXT_HTML);
		pages.setIgnoredMediaTypes(Set.of(org.springframework.http.MediaType.ALL));
		this.requests.setRequestMatcher(new org.springframework.security.web.util.matcher.AndRequestMatcher(
				request -> "GET".equals(request.getMethod()), pages));
	}

	HttpSessionSecurityContextRepository contexts() {
		return this.contexts;
	}

	HttpSessionRequestCache requests() {
		return this.requests;
	}

	/** The console page the operator asked for before signing in, or {@code /admin}. */
	String returnTo(HttpServletRequest request, HttpServletResponse response) {
		var saved = this.requests.getRequest(request, response);
		this.requests.removeRequest(request, response);
		if (saved == null || !"GET".equals(saved.getMethod())) {
			return request.getContextPath() + "/admin";
		}
		return saved.getRedirectUrl();
	}

	/** After the gateway's sign-in: the console's sign-in waits for the second factor. */
	void pending(HttpServletRequest request) {
		request.getSession().setAttribute(LAST_SEEN, this.clock.instant());
	}

	/** After the second factor: the operator is signed in with the roles they hold now. */
	void signIn(String accountId, Set<OperatorRole> roles, boolean enrolledNow, HttpServletRequest request,
			HttpServletResponse response) {
		request.changeSessionId(); // more rights than a moment ago: a new session id
		SecurityContext context = SecurityContextHolder.createEmptyContext();
		context.setAuthentication(ConsoleOperator.signedIn(accountId, roles));
		SecurityContextHolder.setContext(context);
		this.contexts.saveContext(context, request, response);
		request.getSession().setAttribute(LAST_SEEN, this.clock.instant());
		this.audit.record(AuditEntry.of(SIGNED_IN)
			.actor("admin:" + accountId)
			.subject(accountId)
			.detail("second_factor", "totp")
			.detail("enrolled_now", Boolean.toString(enrolledNow))
			.detail("roles", OperatorRole.join(roles)));
	}

	/** Ends the console's sign-in (not the person's sign-in at the gateway). */
	void end(HttpServletRequest request, String accountId, String reason) {
		HttpSession session = request.getSession(false);
		if (session != null) {
			session.removeAttribute(CONTEXT_KEY);
			session.removeAttribute(LAST_SEEN);
		}
		SecurityContextHolder.clearContext();
		if (accountId != null) {
			this.audit.record(AuditEntry.of(SIGNED_OUT)
				.actor(reason.equals("sign-out") ? "admin:" + accountId : "system")
				.subject(accountId)
				.detail("reason", reason));
		}
	}

	/**
	 * Before each console request: a sign-in idle for longer than the timeout ends, as does one whose account no
	 * longer holds a role; an operator whose roles changed gets the new ones; otherwise the request counts as activity.
	 */
	final class IdleTimeout extends OncePerRequestFilter {

		@Override
		protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
				throws ServletException, IOException {
			HttpSession session = request.getSession(false);
			Authentication auth = SecurityContextHolder.getContext().getAuthentication();
			boolean signedIn = ConsoleOperator.isConsoleOperator(auth);
			boolean pending = auth instanceof OAuth2AuthenticationToken;
			if (session != null && (signedIn || pending)) {
				Instant now = ConsoleSessions.this.clock.instant();
				Object seen = session.getAttribute(LAST_SEEN);
				if (!(seen instanceof Instant last) || now.isAfter(last.plus(ConsoleSessions.this.properties.idleTimeout()))) {
					end(request, signedIn ? auth.getName() : null, "idle-timeout");
					request.setAttribute(SecondFactorController.EXPIRED, Boolean.TRUE);
				}
				else if (signedIn && !refreshRoles(auth, request, response)) {
					end(request, auth.getName(), "roles-removed");
				}
				else {
					session.setAttribute(LAST_SEEN, now);
				}
			}
			chain.doFilter(request, response);
		}

		/** @return whether the operator still holds a role */
		private boolean refreshRoles(Authentication auth, HttpServletRequest request, HttpServletResponse response) {
			Set<OperatorRole> roles = ConsoleSessions.this.operators.roles(auth.getName());
			if (roles.isEmpty()) {
				return false;
			}
			Set<String> now = new HashSet<>();
			ConsoleOperator.authorities(roles).forEach(a -> now.add(a.getAuthority()));
			Set<String> held = new HashSet<>();
			auth.getAuthorities().stream().map(GrantedAuthority::getAuthority).forEach(held::add);
			if (!now.equals(held)) {
				SecurityContext context = SecurityContextHolder.createEmptyContext();
				context.setAuthentication(ConsoleOperator.signedIn(auth.getName(), roles));
				SecurityContextHolder.setContext(context);
				ConsoleSessions.this.contexts.saveContext(context, request, response);
			}
			return true;
		}

	}

}
