package dev.tongxing.server.analytics;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.ops.AvailabilityProbes;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The funnel's first steps and its consent step, seen from the requests: the login page shown, a method
 * chosen on it, and the authorization code a signed-in browser leaves with. Runs before the security filters
 * (the authorization endpoint answers there). Counting never changes the response.
 */
@Component
@Order(-200)
class FunnelFilter extends OncePerRequestFilter {

	/** {@code /login/wechat}, {@code /login/phone}, {@code /login/oidc/<id>}: the buttons of the login page. */
	private static final Pattern METHOD = Pattern.compile("^/login/(?:oidc/[^/]+|[^/]+)$");

	private final LoginAnalytics analytics;

	private final ObjectProvider<Connectors> connectors;

	FunnelFilter(LoginAnalytics analytics, ObjectProvider<Connectors> connectors) {
		this.analytics = analytics;
		this.connectors = connectors;
	}

	/** One of the login page's buttons (not the help form or another page under /login/). */
	private boolean loginMethod(String path) {
		if (!METHOD.matcher(path).matches()) {
			return false;
		}
		Connectors all = this.connectors.getIfAvailable();
		return all != null && all.loginMethods().stream()
			.anyMatch(m -> m.href() != null && path.equals(m.href().split("\\?", 2)[0]));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI();
		boolean get = "GET".equals(request.getMethod());
		try {
			// the page shown again with a failed attempt's error is that attempt's end, not a new login
			if (AvailabilityProbes.USER_AGENT.equals(request.getHeader("User-Agent"))) {
				// the gateway probing itself every minute is not a visitor
			}
			else if (get && "/login".equals(path) && request.getParameter("error") == null) {
				this.analytics.pageShown(request);
			}
			else if (get && loginMethod(path)) {
				this.analytics.methodChosen(request);
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not count a login step: " + ex);
		}
		chain.doFilter(request, response);
		if (path.equals("/oauth2/authorize") && response.getStatus() == 302) {
			String location = response.getHeader("Location");
			if (location != null && location.contains("code=")) {
				try {
					this.analytics.codeIssued(request);
				}
				catch (RuntimeException ex) {
					logger.warn("Could not count a login step: " + ex);
				}
			}
		}
	}

}
