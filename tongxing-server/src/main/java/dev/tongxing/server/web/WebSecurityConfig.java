package dev.tongxing.server.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.DelegatingAuthenticationEntryPoint;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.savedrequest.RequestCache;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.AndRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcherEntry;

/** The pages people see: public ones (login, status, demo), the rest for signed-in users. */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig {

	/**
	 * No observation around each security filter, authentication and authorization: the request as a whole is
	 * still observed ({@code http.server.requests}). {@code management.observations.enable.spring.security=false}
	 * only silences them; the decorator still wrapped every filter of every request (tongxing-bench, JFR:
	 * ~6 % of a grant's CPU exclusive in the wrappers).
	 */
	@Bean
	static SecurityObservationSettings securityObservationSettings() {
		return SecurityObservationSettings.noObservations();
	}

	@Bean
	@Order(10)
	@ConditionalOnWebApplication // operator commands run the context without a web server
	SecurityFilterChain pagesChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/login/**", "/privacy/**", "/demo", "/demo/**", "/css/**", "/js/**", "/images/**",
					"/favicon.ico", "/favicon.svg", "/error", "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
					"/status", "/status/**", "/branding/**", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml")
			.permitAll()
			.anyRequest()
			.authenticated())
			// a program calling an API path this chain sees (a wrong method, a mistyped path) gets a 401, not the
			// login page, and no session: only pages are remembered to come back to after signing in
			.requestCache(cache -> cache.requestCache(pagesOnly()))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new DelegatingAuthenticationEntryPoint(
					new LoginUrlAuthenticationEntryPoint("/login"),
					new RequestMatcherEntry<>(API_PATHS, BearerChallenges.entryPoint()))))
			.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login?signed-out"));
		SecurityHeaders.apply(http);
		return http.build();
	}

	/** Protocol endpoints that programs call; the authorization endpoint is a page. */
	static final RequestMatcher API_PATHS = new AndRequestMatcher(
			new OrRequestMatcher(PathPatternRequestMatcher.pathPattern("/oauth2/**"),
					PathPatternRequestMatcher.pathPattern("/userinfo/**")),
			new NegatedRequestMatcher(PathPatternRequestMatcher.pathPattern("/oauth2/authorize")));

	private static RequestCache pagesOnly() {
		HttpSessionRequestCache cache = new HttpSessionRequestCache();
		cache.setRequestMatcher(new NegatedRequestMatcher(API_PATHS));
		return cache;
	}

}
