package dev.tongxing.server.ratelimit;

import dev.tongxing.server.oidc.AuthenticatedEndpointFilter;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Applies the clients' limits on the authorization server's endpoints, after client (or bearer token)
 * authentication, so nobody can spend a client's budget by merely naming it. Every answer carries the
 * {@code RateLimit-Policy} and {@code RateLimit} fields (IETF httpapi rate-limit headers draft); a refused
 * request gets 429 with {@code Retry-After} and an OAuth-style JSON error.
 */
class ClientRateLimitFilter extends OncePerRequestFilter implements AuthenticatedEndpointFilter {

	private final ClientRateLimiter limiter;

	private final RegisteredClientRepository clients;

	private final RateLimitedReporting reporting;

	/** The decision's own time, by where the buckets were: what the limits add to every request. */
	private final Timer localChecks;

	private final Timer sharedChecks;

	ClientRateLimitFilter(ClientRateLimiter limiter, RegisteredClientRepository clients,
			RateLimitedReporting reporting, MeterRegistry meters) {
		this.limiter = limiter;
		this.clients = clients;
		this.reporting = reporting;
		this.localChecks = checks(meters, "local");
		this.sharedChecks = checks(meters, "redis");
	}

	private static Timer checks(MeterRegistry meters, String store) {
		return Timer.builder("tongxing_rate_limit_check")
			.description("Time the client rate limit decision takes on the request path")
			.tag("store", store)
			// buckets, not client-side percentiles: cheap on every request, and summed across nodes by Prometheus
			.publishPercentileHistogram()
			.minimumExpectedValue(Duration.ofNanos(500))
			.maximumExpectedValue(Duration.ofSeconds(1))
			.register(meters);
	}

	@Override
	public Filter filter() {
		return this;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String endpoint = switch (path) {
			case "/oauth2/token" -> "token";
			case "/oauth2/authorize" -> "authorization";
			case "/oauth2/par" -> "par";
			case "/oauth2/introspect" -> "introspection";
			case "/userinfo" -> "userinfo";
			default -> null;
		};
		RegisteredClient client = endpoint == null ? null : client(request, endpoint);
		if (client == null) {
			chain.doFilter(request, response);
			return;
		}
		LimitedEndpoint group = switch (endpoint) {
			case "token" -> LimitedEndpoint.TOKEN;
			case "authorization", "par" -> LimitedEndpoint.AUTHORIZATION;
			default -> LimitedEndpoint.INTROSPECTION;
		};
		long started = System.nanoTime();
		ClientRateLimiter.Decision decision = this.limiter.decide(client, group);
		(this.limiter.buckets().shared() ? this.sharedChecks : this.localChecks)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
		Buckets.Take take = decision.take();
		String policy = group.policy();
		response.setHeader("RateLimit-Policy", "\"" + policy + "\";q=" + decision.limit().burst() + ";w="
				+ decision.limit().windowSeconds());
		long reset = take.allowed() ? 0 : Math.max(1, (take.nanosToWait() + 999_999_999L) / 1_000_000_000L);
		response.setHeader("RateLimit", "\"" + policy + "\";r=" + take.remaining() + ";t=" + reset);
		if (take.allowed()) {
			chain.doFilter(request, response);
			return;
		}
		response.setHeader("Retry-After", Long.toString(reset));
		response.setHeader("Cache-Control", "no-store");
		response.setContentType("application/json;charset=UTF-8");
		if (take.unavailable()) {
			response.setStatus(HttpServletResponse.SC_SERVICE_UNAVAILABLE);
			response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":"
					+ "\"The rate limits cannot be checked right now; retry in a moment.\"}");
			return;
		}
		this.reporting.refused(decision, endpoint);
		response.setStatus(429);
		response.getWriter().write("{\"error\":\"temporarily_unavailable\",\"error_description\":\"Too many "
				+ policy + " requests for this client (tier " + decision.tier() + ", " + decision.limit().perPeriod()
				+ " per second); retry after " + reset + " s.\"}");
	}

	/** The client the request counts against, or null (unauthenticated: the endpoint refuses it anyway). */
	private RegisteredClient client(HttpServletRequest request, String endpoint) {
		Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
		if (authentication instanceof OAuth2ClientAuthenticationToken clientAuthentication
				&& clientAuthentication.isAuthenticated()) {
			return clientAuthentication.getRegisteredClient();
		}
		String clientId = null;
		if (endpoint.equals("userinfo") && authentication instanceof AbstractOAuth2TokenAuthenticationToken<?> token) {
			Object claim = token.getTokenAttributes().get("client_id");
			clientId = claim == null ? null : claim.toString();
		}
		else if (endpoint.equals("authorization")) {
			// people's browsers: the client is who sent them
			clientId = request.getParameter("client_id");
		}
		return clientId == null || clientId.length() > 100 ? null : this.clients.findByClientId(clientId);
	}

}
