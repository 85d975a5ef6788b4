package dev.tongxing.server.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The filter chain of an endpoint that an upstream pushes to (WeChat's messages, SMS providers' receipts): the push
 * carries its own proof, checked by the endpoint, not a browser's — so no CSRF token, no session, no request to
 * come back to, and the usual security headers.
 */
public final class PushEndpoints {

	private PushEndpoints() {
	}

	public static SecurityFilterChain chain(HttpSecurity http, String path) throws Exception {
		http.securityMatcher(path)
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.requestCache(cache -> cache.disable());
		SecurityHeaders.apply(http);
		return http.build();
	}

}
