package dev.tongxing.server.oidc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses oversized OAuth requests before they reach the protocol code: too many parameters, or a value
 * longer than any legitimate one. JSON endpoints answer {@code invalid_request}; the authorization
 * endpoint, which a person sees, shows the error page (its redirect URI cannot be trusted yet).
 */
final class OAuthParameterLimitFilter extends OncePerRequestFilter {

	static final int MAX_PARAMETERS = 64;

	static final int MAX_VALUE_LENGTH = 4096;

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !(path.startsWith("/oauth2/") || path.startsWith("/connect/") || path.equals("/userinfo"));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String problem = problem(request);
		if (problem == null) {
			chain.doFilter(request, response);
			return;
		}
		if (request.getRequestURI().endsWith("/oauth2/authorize")) {
			request.setAttribute(IssuerAwareAuthorizationResponses.ERROR_ATTRIBUTE,
					new org.springframework.security.oauth2.core.OAuth2Error("invalid_request", problem, null));
			response.sendError(HttpStatus.BAD_REQUEST.value(), "invalid_request");
			return;
		}
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader("Cache-Control", "no-store");
		response.getWriter().write("{\"error\":\"invalid_request\",\"error_description\":\"" + problem + "\"}");
	}

	private static String problem(HttpServletRequest request) {
		Map<String, String[]> parameters;
		try {
			parameters = request.getParameterMap();
		}
		catch (RuntimeException ex) {
			return "The request parameters could not be parsed";
		}
		if (parameters.size() > MAX_PARAMETERS) {
			return "Too many parameters";
		}
		for (Map.Entry<String, String[]> entry : parameters.entrySet()) {
			if (entry.getKey().length() > 100) {
				return "A parameter name is too long";
			}
			for (String value : entry.getValue()) {
				if (value != null && value.length() > MAX_VALUE_LENGTH) {
					return "The parameter " + entry.getKey().replaceAll("[^A-Za-z0-9_.-]", "")
							+ " is too long (at most " + MAX_VALUE_LENGTH + " characters)";
				}
			}
		}
		return null;
	}

}
