package dev.tongxing.server.admin;

import dev.tongxing.server.lockout.FailedPasswords;
import dev.tongxing.server.lockout.ThrottledPasswordCheck;
import dev.tongxing.server.web.SecurityHeaders;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * {@code /admin/api/**}, the JSON API for machines and scripts: HTTP Basic ({@code tongxing.admin.username/password})
 * or a {@code client_credentials} bearer token with {@code tongxing.admin.read} / {@code tongxing.admin.write}; no
 * session. The console's pages (the rest of {@code /admin/**}) are signed in to through the gateway itself
 * ({@code console.ConsoleSecurityConfig}): neither credential opens them.
 */
@Configuration(proxyBeanMethods = false)
class AdminSecurityConfig {

	@Bean
	@Order(5)
	@ConditionalOnWebApplication // operator commands run the context without a web server
	SecurityFilterChain adminChain(HttpSecurity http, AdminProperties admin, FailedPasswords failures,
			org.springframework.security.oauth2.jwt.JwtDecoder decoder) throws Exception {
		InMemoryUserDetailsManager operators = new InMemoryUserDetailsManager();
		if (admin.username() != null && admin.password() != null) {
			operators.createUser(User.withUsername(admin.username()).password(admin.password()).roles("ADMIN").build());
		}
		http.securityMatcher("/admin/api/**")
			.authorizeHttpRequests(requests -> requests
				// machines: client_credentials tokens with tongxing.admin.read (reads) or .write (changes too)
				.requestMatchers(org.springframework.http.HttpMethod.GET, "/admin/api/**")
				.hasAnyAuthority("ROLE_ADMIN", AdminApiTokens.READ)
				.requestMatchers("/admin/api/**")
				.hasAnyAuthority("ROLE_ADMIN", AdminApiTokens.WRITE)
				.anyRequest()
				.hasRole("ADMIN"))
			.httpBasic(Customizer.withDefaults())
			.oauth2ResourceServer(resourceServer -> resourceServer
				.jwt(jwt -> jwt.decoder(decoder).jwtAuthenticationConverter(new AdminApiTokens())))
			// wrong passwords are counted per address and per name; a locked-out one is refused unchecked
			.authenticationProvider(new ThrottledPasswordCheck(new DaoAuthenticationProvider(operators), failures,
					FailedPasswords.Kind.OPERATOR, () -> new BadCredentialsException("Bad credentials")))
			.sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			// a stateless API authenticated on every call by a header, not by an ambient cookie
			.csrf(csrf -> csrf.disable())
			// …but a browser resends cached Basic credentials: no changes from other sites' pages
			.addFilterBefore(new CrossSiteApiRequests(), org.springframework.security.web.csrf.CsrfFilter.class);
		SecurityHeaders.apply(http);
		return http.build();
	}

}
