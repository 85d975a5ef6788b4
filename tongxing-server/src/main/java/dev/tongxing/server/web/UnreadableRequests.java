package dev.tongxing.server.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Requests that cannot be read — parameters that are not valid percent-encoded UTF-8 such as {@code state=%ff} —
 * get a plain 400 and one line of WARN, before any controller (or the servlet container, which would log the
 * failure as an ERROR with its stack trace) sees them. Also: {@code /error} asked for directly is not a page.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class UnreadableRequests extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger(UnreadableRequests.class);

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (path.equals("/error") || path.startsWith("/error/")) {
			// only the container's error dispatch renders it; asked for by name there is no such page
			response.sendError(HttpStatus.NOT_FOUND.value());
			return;
		}
		if (path.startsWith("/oauth2/") || path.startsWith("/connect/") || path.equals("/userinfo")) {
			chain.doFilter(request, response); // the protocol endpoints answer such requests with an OAuth error
			return;
		}
		try {
			request.getParameterMap();
		}
		catch (RuntimeException ex) {
			log.warn("Refused a request to {} whose parameters cannot be read ({})", path.replaceAll("[^\\x21-\\x7E]", "?"),
					ex.getClass().getSimpleName());
			response.sendError(HttpStatus.BAD_REQUEST.value());
			return;
		}
		chain.doFilter(request, response);
	}

}
