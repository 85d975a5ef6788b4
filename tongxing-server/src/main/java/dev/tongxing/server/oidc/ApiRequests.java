package dev.tongxing.server.oidc;

import jakarta.servlet.http.HttpServletRequest;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcherEntry;

/**
 * Which of the authorization server's requests come from a person's browser and which from a program: only the
 * authorization endpoint may send someone to the login page and keep the request in a session to come back to.
 * Every other endpoint is an API, answered with a 401 and never given a session (anonymous calls must not fill
 * the session table).
 */
final class ApiRequests {

	static final RequestMatcher AUTHORIZATION_ENDPOINT = PathPatternRequestMatcher.pathPattern("/oauth2/authorize");

	/** Endpoints where the caller is a client authenticating itself (RFC 6749 §2.3), not a bearer token. */
	static final RequestMatcher CLIENT_ENDPOINTS = new OrRequestMatcher(
			PathPatternRequestMatcher.pathPattern("/oauth2/token"),
			PathPatternRequestMatcher.pathPattern("/oauth2/introspect"),
			PathPatternRequestMatcher.pathPattern(AuthorizationServerConfig.REVOCATION_ENDPOINT),
			PathPatternRequestMatcher.pathPattern("/oauth2/par"));

	private ApiRequests() {
	}

	static RequestCache authorizationRequestsOnly() {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setRequestMatcher(AUTHORIZATION_ENDPOINT);
		return cache;
	}

	static AuthenticationEntryPoint entryPoint(AuthenticationEntryPoint login, AuthenticationEntryPoint clients,
			AuthenticationEntryPoint bearer) {
		return new DelegatingAuthenticationEntryPoint(bearer, new RequestMatcherEntry<>(AUTHORIZATION_ENDPOINT, login),
				new RequestMatcherEntry<>(CLIENT_ENDPOINTS, clients));
	}

	static boolean isAuthorizationRequest(HttpServletRequest request) {
		return AUTHORIZATION_ENDPOINT.matches(request);
	}

}
