package dev.tongxing.server.console;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.client.ClientDefinition;
import dev.tongxing.server.oidc.client.ClientTier;
import dev.tongxing.server.oidc.keys.SigningKeys;
import dev.tongxing.server.oidc.keys.SigningKeysJwtProcessor;
import dev.tongxing.server.web.SecurityHeaders;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.authentication.OidcIdTokenValidator;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.oauth2.client.registration.ClientRegistration;
import org.springframework.security.oauth2.client.registration.InMemoryClientRegistrationRepository;
import org.springframework.security.oauth2.client.web.DefaultOAuth2AuthorizationRequestResolver;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.jwt.JwtDecoderFactory;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * The console's pages ({@code /admin/**} but the JSON API, whose chain comes first): the console is a first-party
 * client of the gateway ({@value #CLIENT_ID}, authorization code with PKCE, no consent dialog), signed in to with
 * Spring Security's {@code oauth2Login} against the gateway's own issuer, {@code prompt=login} so that every
 * console sign-in is a fresh one on the gateway's normal login page (any method). The account id is the ID token's
 * {@code sub}, its signature checked with the gateway's own keys (no JWKS fetched over the network); the code is
 * exchanged at the issuer's token endpoint like any client's. Only accounts holding an operator role get in, and
 * only after their second factor ({@link SecondFactorController}).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleSecurityConfig {

	private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(ConsoleSecurityConfig.class);

	static final String CLIENT_ID = "tongxing-console";

	static final String AUTHORIZATION = "/admin/oauth2/authorization";

	static final String CALLBACK = "/admin/login/oauth2/code/" + CLIENT_ID;

	/** The console, registered like any client (imported at start-up), on whatever host the issuer names. */
	@Bean
	static ClientDefinition consoleClient(OidcProperties properties) {
		return new ClientDefinition(CLIENT_ID, null, "Tongxing console", List.of(properties.issuer() + CALLBACK),
				List.of(), List.of("openid"), List.of("authorization_code"), ClientTier.A, true, List.of());
	}

	/**
	 * The console's ID tokens are the gateway's own: their signature is checked with its signing keys, in process
	 * (oauth2Login takes the decoder factory from the context; without it, it would fetch the JWKS over HTTP).
	 */
	@Bean
	JwtDecoderFactory<ClientRegistration> consoleIdTokenDecoders(SigningKeys keys, Clock clock) {
		return registration -> {
			NimbusJwtDecoder decoder = new NimbusJwtDecoder(new SigningKeysJwtProcessor(keys));
			JwtTimestampValidator timestamps = new JwtTimestampValidator();
			timestamps.setClock(clock);
			OidcIdTokenValidator idToken = new OidcIdTokenValidator(registration);
			idToken.setClock(clock);
			decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(timestamps, idToken));
			return decoder;
		};
	}

	@Bean
	@Order(6)
	@ConditionalOnWebApplication // operator commands run the context without a web server
	SecurityFilterChain consoleChain(HttpSecurity http, OidcProperties oidc, ConsoleSessions sessions,
			Operators operators, AuditLog audit) throws Exception {
		ClientRegistration console = ClientRegistration.withRegistrationId(CLIENT_ID)
			.clientId(CLIENT_ID)
			.clientName("Tongxing console")
			.clientAuthenticationMethod(ClientAuthenticationMethod.NONE)
			.authorizationGrantType(AuthorizationGrantType.AUTHORIZATION_CODE)
			.redirectUri(oidc.issuer() + CALLBACK)
			.scope("openid")
			.authorizationUri(oidc.issuer() + "/oauth2/authorize")
			.tokenUri(oidc.issuer() + "/oauth2/token")
			.jwkSetUri(oidc.issuer() + "/oauth2/jwks")
			.issuerUri(oidc.issuer())
			.userNameAttributeName("sub")
			.build();
		InMemoryClientRegistrationRepository registrations = new InMemoryClientRegistrationRepository(console);
		DefaultOAuth2AuthorizationRequestResolver authorizationRequests = new DefaultOAuth2AuthorizationRequestResolver(
				registrations, AUTHORIZATION);
		// a public client: PKCE comes with it; prompt=login: a fresh sign-in at the gateway, never a silent one
		authorizationRequests.setAuthorizationRequestCustomizer(
				request -> request.additionalParameters(parameters -> parameters.put("prompt", "login")));
		// the ID token is all the console needs: no userinfo call, and no authority but "second factor pending"
		OAuth2UserService<OidcUserRequest, OidcUser> idTokenOnly = request -> new DefaultOidcUser(
				Set.of(new SimpleGrantedAuthority(ConsoleOperator.PENDING)), request.getIdToken(), "sub");

		String viewer = ConsoleOperator.authority(OperatorRole.VIEWER);
		String support = ConsoleOperator.authority(OperatorRole.SUPPORT);
		String admin = ConsoleOperator.authority(OperatorRole.ADMIN);
		http.securityMatcher("/admin/**")
			.authorizeHttpRequests(requests -> requests
				.requestMatchers(SecondFactorController.SIGN_IN, SecondFactorController.REFUSED,
						SecondFactorController.SIGNED_OUT, SecondFactorController.FORBIDDEN)
				.permitAll()
				.requestMatchers(SecondFactorController.SECOND_FACTOR)
				.hasAuthority(ConsoleOperator.PENDING)
				.requestMatchers(HttpMethod.POST, SecondFactorController.SIGN_OUT)
				.hasAnyAuthority(viewer, ConsoleOperator.PENDING)
				// support acts for people: the complaint desk's replies and closing
				.requestMatchers(HttpMethod.POST, "/admin/complaints/**")
				.hasAuthority(support)
				// …and for a person found on the People pages: their sessions ended, their deletion started
				.requestMatchers(HttpMethod.POST, "/admin/people/*/sessions/end", "/admin/people/*/deletion")
				.hasAuthority(support)
				// a person's data export is in clear, all of it: admin
				.requestMatchers(HttpMethod.GET, "/admin/people/*/export")
				.hasAuthority(admin)
				// viewers read every page; every other change (incidents included) changes the gateway: admin
				.requestMatchers(HttpMethod.GET, "/admin/**")
				.hasAuthority(viewer)
				.requestMatchers(HttpMethod.HEAD, "/admin/**")
				.hasAuthority(viewer)
				.anyRequest()
				.hasAuthority(admin))
			.oauth2Login(login -> login.clientRegistrationRepository(registrations)
				.loginPage(SecondFactorController.SIGN_IN)
				.authorizationEndpoint(endpoint -> endpoint.authorizationRequestResolver(authorizationRequests))
				.redirectionEndpoint(endpoint -> endpoint.baseUri("/admin/login/oauth2/code/*"))
				.userInfoEndpoint(userInfo -> userInfo.oidcUserService(idTokenOnly))
				.successHandler((request, response, authentication) -> {
					String accountId = authentication.getName();
					if (operators.roles(accountId).isEmpty()) {
						sessions.end(request, null, "refused");
						audit.record(AuditEntry.of(ConsoleSessions.REFUSED)
							.actor("user:" + accountId) // a person, not an operator
							.subject(accountId)
							.detail("reason", "not-an-operator"));
						response.sendRedirect(request.getContextPath() + SecondFactorController.REFUSED);
						return;
					}
					sessions.pending(request);
					response.sendRedirect(request.getContextPath() + SecondFactorController.SECOND_FACTOR);
				})
				// a refused or broken sign-in (state lost, the person cancelled): the sign-in page says so
				.failureHandler((request, response, exception) -> {
					log.warn("A console sign-in did not complete: {}", exception.getMessage());
					response.sendRedirect(request.getContextPath() + SecondFactorController.SIGN_IN + "?failed");
				}))
			.securityContext(context -> context.securityContextRepository(sessions.contexts()))
			.requestCache(cache -> cache.requestCache(sessions.requests()))
			.addFilterAfter(sessions.new IdleTimeout(), SecurityContextHolderFilter.class)
			.exceptionHandling(exceptions -> exceptions
				.authenticationEntryPoint((request, response, exception) -> {
					if (bearer(request)) {
						response.sendError(403); // a machine's token opens the JSON API, never the pages
						return;
					}
					// not signed in to the console: the sign-in page, as a 401 (a script learns the page is closed)
					response.setStatus(401);
					request.getRequestDispatcher(SecondFactorController.SIGN_IN).forward(request, response);
				})
				.accessDeniedHandler((request, response, exception) -> {
					var auth = org.springframework.security.core.context.SecurityContextHolder.getContext()
						.getAuthentication();
					if (auth != null && auth.getAuthorities()
						.stream()
						.anyMatch(a -> a.getAuthority().equals(ConsoleOperator.PENDING))
							&& "GET".equals(request.getMethod())) {
						response.sendRedirect(request.getContextPath() + SecondFactorController.SECOND_FACTOR);
						return;
					}
					if (ConsoleOperator.isConsoleOperator(auth) && "GET".equals(request.getMethod())
							&& SecondFactorController.SECOND_FACTOR.equals(request.getServletPath())) {
						response.sendRedirect(request.getContextPath() + "/admin"); // signed in already
						return;
					}
					response.setStatus(403);
					request.getRequestDispatcher(SecondFactorController.FORBIDDEN).forward(request, response);
				}))
			.logout(logout -> logout
				.logoutRequestMatcher(PathPatternRequestMatcher.pathPattern(HttpMethod.POST, SecondFactorController.SIGN_OUT))
				.invalidateHttpSession(false) // the person's own sign-in at the gateway stays (it has its own sign-out)
				.addLogoutHandler((request, response, authentication) -> sessions.end(request,
						ConsoleOperator.isConsoleOperator(authentication) ? authentication.getName() : null, "sign-out"))
				.logoutSuccessUrl(SecondFactorController.SIGNED_OUT))
			// forms carry CSRF tokens, made before the page renders (PageCsrfTokens)
			.csrf(csrf -> csrf.csrfTokenRequestHandler(new PageCsrfTokens()));
		SecurityHeaders.apply(http);
		return http.build();
	}

	private static boolean bearer(HttpServletRequest request) {
		String authorization = request.getHeader("Authorization");
		return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7);
	}

}
