package dev.tongxing.server.web;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;

/** The pages people see: public ones (login, status, demo), the rest for signed-in users. */
@Configuration(proxyBeanMethods = false)
class WebSecurityConfig {

	@Bean
	@Order(10)
	@ConditionalOnWebApplication // operator commands run the context without a web server
	SecurityFilterChain pagesChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests(requests -> requests
			.requestMatchers("/login", "/login/**", "/privacy/**", "/demo", "/demo/**", "/css/**", "/js/**", "/images/**",
					"/favicon.ico", "/error", "/actuator/health", "/actuator/health/**", "/actuator/prometheus",
					"/status", "/status/**")
			.permitAll()
			.anyRequest()
			.authenticated())
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(new LoginUrlAuthenticationEntryPoint("/login")))
			.logout(logout -> logout.logoutUrl("/logout").logoutSuccessUrl("/login"));
		SecurityHeaders.apply(http);
		return http.build();
	}

}
