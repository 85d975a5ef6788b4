package dev.tongxing.example.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.client.oidc.web.logout.OidcClientInitiatedLogoutSuccessHandler;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The sign-in and sign-out wiring, beyond what {@code application.yml} says:
 * <ul>
 * <li>{@code /} is open to everyone (it shows a sign-in link or who is signed in); {@code oauth2Login} serves
 * {@code /oauth2/authorization/tongxing} (the authorization request, with PKCE S256: Spring Security 7 adds it for
 * every client, confidential ones included, and Tongxing refuses a request without it) and the redirect URI
 * {@code /login/oauth2/code/tongxing}.</li>
 * <li>Signing out ({@code POST /logout}) ends the session here and then at Tongxing: RP-initiated logout with the
 * ID token as {@code id_token_hint}, after which the gateway sends the browser back to {@code /}, registered at
 * the gateway as the client's {@code post-logout-redirect-uris}.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfig {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, ClientRegistrationRepository registrations) {
		OidcClientInitiatedLogoutSuccessHandler atTongxing = new OidcClientInitiatedLogoutSuccessHandler(registrations);
		atTongxing.setPostLogoutRedirectUri("{baseUrl}/");

		http.authorizeHttpRequests(requests -> requests.requestMatchers("/", "/error").permitAll().anyRequest().authenticated())
			.oauth2Login(login -> {
			})
			.logout(logout -> logout.logoutSuccessHandler(atTongxing));
		return http.build();
	}

}
