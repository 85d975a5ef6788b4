package dev.tongxing.server.ops;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * {@code tongxing.tokens.issued}: token responses (HTTP 200 from {@code POST /oauth2/token}) by grant
 * type (and per minute for the console's overview, {@link TokenIssuance}). Counted around the whole filter chain, so the authorization server's code stays untouched.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class TokensIssuedFilter extends OncePerRequestFilter {

	private static final Set<String> GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials",
			"urn:ietf:params:oauth:grant-type:token-exchange", "urn:ietf:params:oauth:grant-type:device_code");

	private final MeterRegistry registry;

	private final TokenIssuance issuance;

	TokensIssuedFilter(MeterRegistry registry, TokenIssuance issuance) {
		this.registry = registry;
		this.issuance = issuance;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod()) || !"/oauth2/token".equals(request.getRequestURI());
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, response);
		if (response.getStatus() == HttpServletResponse.SC_OK) {
			String grant = request.getParameter("grant_type");
			Counter.builder("tongxing.tokens.issued")
				.description("Token responses issued")
				.tag("grant_type", grant != null && GRANTS.contains(grant) ? grant : "other") // a tag's values stay few
				.register(this.registry)
				.increment();
			this.issuance.issued();
		}
	}

}
