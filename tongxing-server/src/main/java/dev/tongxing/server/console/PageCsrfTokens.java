package dev.tongxing.server.console;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.function.Supplier;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.security.web.csrf.CsrfTokenRequestHandler;
import org.springframework.security.web.csrf.XorCsrfTokenRequestAttributeHandler;

/**
 * CSRF tokens of the operator pages are made before the page renders, not when its first form asks for one:
 * a new token is stored in a session, and a long page (a ticket with many failed sign-ins, in English) has
 * already sent part of itself by the time it reaches its forms — too late to create a session, which cut the
 * page off. The API ({@code /admin/api/**}) is exempt from CSRF and gets no token, so no session either.
 */
final class PageCsrfTokens implements CsrfTokenRequestHandler {

	private final XorCsrfTokenRequestAttributeHandler delegate = new XorCsrfTokenRequestAttributeHandler();

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, Supplier<CsrfToken> csrfToken) {
		this.delegate.handle(request, response, csrfToken);
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.startsWith("/admin/api/")) {
			csrfToken.get();
		}
	}

	@Override
	public String resolveCsrfTokenValue(HttpServletRequest request, CsrfToken csrfToken) {
		return this.delegate.resolveCsrfTokenValue(request, csrfToken);
	}

}
