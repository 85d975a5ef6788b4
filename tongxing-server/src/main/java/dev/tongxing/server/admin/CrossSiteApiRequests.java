package dev.tongxing.server.admin;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Set;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses operator API calls that change something when a browser says they come from another site. The API
 * has no CSRF token (scripts call it with Basic credentials), but a browser resends cached Basic credentials
 * on its own, so a page elsewhere could post to it; browsers name the requesting site ({@code Origin},
 * {@code Sec-Fetch-Site}) and scripts send neither.
 */
final class CrossSiteApiRequests extends OncePerRequestFilter {

	private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return SAFE.contains(request.getMethod()) || !request.getRequestURI().startsWith("/admin/api/");
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String fetchSite = request.getHeader("Sec-Fetch-Site");
		boolean crossSite = fetchSite != null && !fetchSite.equals("same-origin") && !fetchSite.equals("none");
		String origin = request.getHeader("Origin");
		if (crossSite || (origin != null && !sameOrigin(origin, request))) {
			response.setStatus(HttpServletResponse.SC_FORBIDDEN);
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			response.getWriter()
				.write("{\"error\":\"cross_site_request\",\"error_description\":\"Operator API calls that change "
						+ "something are not accepted from another site\"}");
			return;
		}
		chain.doFilter(request, response);
	}

	private static boolean sameOrigin(String origin, HttpServletRequest request) {
		try {
			URI from = URI.create(origin);
			int port = from.getPort() != -1 ? from.getPort() : "https".equals(from.getScheme()) ? 443 : 80;
			return request.getScheme().equalsIgnoreCase(from.getScheme())
					&& request.getServerName().equalsIgnoreCase(from.getHost()) && request.getServerPort() == port;
		}
		catch (IllegalArgumentException ex) {
			return false; // "null" or garbage: not this site
		}
	}

}
