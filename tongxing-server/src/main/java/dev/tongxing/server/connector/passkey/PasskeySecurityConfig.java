package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.web.SecurityHeaders;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The two calls of a passkey sign-in, before anyone is signed in. They need no CSRF token, so the login page
 * stays a page that opens no session: the challenge is bound to the browser that asked for it and used once,
 * so another site cannot make a browser finish a sign-in it did not begin.
 */
@Configuration(proxyBeanMethods = false)
class PasskeySecurityConfig {

	@Bean
	@Order(9)
	@ConditionalOnWebApplication
	SecurityFilterChain passkeySignInChain(HttpSecurity http) throws Exception {
		http.securityMatcher("/login/passkey/options", "/login/passkey/sign-in")
			.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
			.csrf(csrf -> csrf.disable())
			.requestCache(cache -> cache.disable());
		SecurityHeaders.apply(http);
		return http.build();
	}

}
