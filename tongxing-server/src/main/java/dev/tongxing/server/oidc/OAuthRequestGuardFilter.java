package dev.tongxing.server.oidc;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import dev.tongxing.server.web.GatewayErrorAttributes;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses malformed and oversized OAuth requests before they reach the protocol code: too many parameters, or a value
 * longer than any legitimate one. JSON endpoints answer {@code invalid_request}; the authorization
 * endpoint, which a person sees, shows the error page (its redirect URI cannot be trusted yet).
 */
final class OAuthRequestGuardFilter extends OncePerRequestFilter {

	static final int MAX_PARAMETERS = 64;

	static final int MAX_VALUE_LENGTH = 4096;

	private static final String PAR_RESPONSE_TYPE = "A pushed authorization request needs response_type=code";

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
		if (problem == PAR_RESPONSE_TYPE) {
			writeJsonError(response, request.getParameter("response_type") == null ? "invalid_request"
					: "unsupported_response_type", problem);
			return;
		}
		if (request.getRequestURI().endsWith("/oauth2/authorize")) {
			request.setAttribute(GatewayErrorAttributes.OAUTH_ERROR,
					new org.springframework.security.oauth2.core.OAuth2Error("invalid_request", problem, null));
			response.sendError(HttpStatus.BAD_REQUEST.value(), "invalid_request");
			return;
		}
		writeJsonError(response, "invalid_request", problem);
	}

	private static void writeJsonError(HttpServletResponse response, String error, String description)
			throws IOException {
		response.setStatus(HttpStatus.BAD_REQUEST.value());
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.setHeader("Cache-Control", "no-store");
		response.getWriter().write("{\"error\":\"" + error + "\",\"error_description\":\"" + description + "\"}");
	}

	private static String problem(HttpServletRequest request) {
		Map<String, String[]> parameters;
		try {
			parameters = request.getParameterMap();
		}
		catch (RuntimeException ex) {
			return "The request parameters could not be parsed";
		}
		// Spring Authorization Server fails with a 500 on a pushed request that is not a code request
		if (request.getRequestURI().endsWith("/oauth2/par")) {
			String[] responseType = parameters.get("response_type");
			if (responseType == null || responseType.length != 1 || !"code".equals(responseType[0])) {
				return PAR_RESPONSE_TYPE;
			}
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
