package dev.tongxing.server.oidc;

import com.nimbusds.jose.jwk.JWK;
import dev.tongxing.server.oidc.client.ClientDefinition;
import dev.tongxing.server.oidc.client.CachingRegisteredClientRepository;
import dev.tongxing.server.oidc.client.ClientImporter;
import dev.tongxing.server.oidc.keys.SigningKeys;
import dev.tongxing.server.oidc.keys.SigningKeysJwtEncoder;
import dev.tongxing.server.lockout.FailedPasswords;
import dev.tongxing.server.lockout.ThrottledPasswordCheck;
import dev.tongxing.server.web.BearerChallenges;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.ClientSecretAuthenticationProvider;
import dev.tongxing.server.web.SecurityHeaders;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import org.springframework.security.core.AuthenticationException;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcOperations;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.authorization.OAuth2AuthorizationServerConfigurer;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.authorization.JdbcOAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AuthorizationConsentAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenIntrospectionAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2TokenRevocationAuthenticationProvider;
import org.springframework.security.oauth2.server.authorization.client.JdbcRegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.token.DelegatingOAuth2TokenGenerator;
import org.springframework.security.oauth2.server.authorization.token.JwtGenerator;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.context.SecurityContextHolderFilter;

/**
 * The OAuth 2.1 / OpenID Connect provider, on Spring Authorization Server: every piece of state in the
 * database, RS256 JWTs from {@link SigningKeys}, PKCE for every client, rotating refresh tokens.
 */
@Configuration(proxyBeanMethods = false)
class AuthorizationServerConfig {

	static final String REVOCATION_ENDPOINT = "/oauth2/revoke";

	@Bean
	@Order(1)
	@ConditionalOnWebApplication // operator commands run the context without a web server
	SecurityFilterChain authorizationServerChain(HttpSecurity http, OidcProperties properties,
			RegisteredClientRepository clients, List<TokenGrantExtension> grantExtensions,
			ApplicationEventPublisher events, ClaimRelease claimRelease,
			org.springframework.beans.factory.ObjectProvider<ClientConsentStep> consentStep, JwtDecoder decoder,
			RevokedAccessTokens revoked,
			org.springframework.beans.factory.ObjectProvider<AuthenticatedEndpointFilter> endpointFilters, Clock clock,
			OAuth2AuthorizationService authorizations, List<ClientDefinition> contributedClients,
			FailedPasswords failedPasswords,
			org.springframework.beans.factory.ObjectProvider<SubjectResolver> subjectResolver, SigningKeys keys,
			dev.tongxing.server.mtls.MtlsProperties mtls, dev.tongxing.server.mtls.ClientCertificateTrust certificateTrust,
			org.springframework.transaction.support.TransactionTemplate transaction) throws Exception {
		SubjectResolver subjects = subjectResolver.getIfAvailable(() -> SubjectResolver.ACCOUNT_ID);
		java.util.Set<String> scopes = ProviderMetadata.scopesServed(properties.clients(), contributedClients);
		OAuth2AuthorizationServerConfigurer server = new OAuth2AuthorizationServerConfigurer();
		IssuerAwareAuthorizationResponses responses = new IssuerAwareAuthorizationResponses(properties.issuer(),
				authorizations);
		http.securityMatcher(server.getEndpointsMatcher())
			.with(server, as -> as
				.authorizationEndpoint(endpoint -> {
					endpoint.authorizationResponseHandler(responses.successHandler())
						.errorResponseHandler(responses.failureHandler())
						.authorizationRequestConverters(AuthorizationRequestHandling::converters);
					ClientConsentStep step = consentStep.getIfAvailable();
					if (step != null) {
						endpoint.consentPage(ClientConsentStep.PAGE);
					}
					endpoint.authenticationProviders(providers -> {
						AuthorizationRequestHandling.providers(providers);
						providers.forEach(provider -> {
							if (provider instanceof OAuth2AuthorizationConsentAuthenticationProvider consent) {
								consent.setAuthorizationConsentCustomizer(context -> {
									IssuerAwareAuthorizationResponses.rememberResponseMode(context.getAuthorizationRequest());
									if (step != null) {
										step.decide(context);
									}
								});
							}
						});
					});
				})
				.pushedAuthorizationRequestEndpoint(par -> par.authenticationProviders(AuthorizationRequestHandling::providers))
				.tokenIntrospectionEndpoint(introspection -> introspection.authenticationProviders(providers -> providers
					.replaceAll(provider -> provider instanceof OAuth2TokenIntrospectionAuthenticationProvider rowBased
							? new SelfContainedTokens.Introspection(decoder, rowBased) : provider)))
				.tokenRevocationEndpoint(revocation -> revocation.authenticationProviders(providers -> providers
					.replaceAll(provider -> provider instanceof OAuth2TokenRevocationAuthenticationProvider rowBased
							? new SelfContainedTokens.Revocation(decoder, revoked, rowBased) : provider)))
				.tokenEndpoint(token -> {
					token.accessTokenResponseHandler(new TokenResponseHandler(events, subjects, transaction));
					token.errorResponseHandler(new TokenErrorResponseHandler());
					// one consumer: a second authenticationProviders(…) would replace the first
					token.authenticationProviders(providers -> {
						ClientRequestRules.tokenProviders(providers);
						TransactionalGrant.wrapUserGrants(providers, transaction);
					});
					for (TokenGrantExtension extension : grantExtensions) {
						token.accessTokenRequestConverter(extension.converter());
						token.authenticationProvider(extension.provider());
					}
				})
				.clientAuthentication(auth -> auth
					.authenticationConverter(ClientRequestRules.oneAuthenticationMethod())
					.authenticationConverter(PublicClientRequests.converter(REVOCATION_ENDPOINT))
					.authenticationConverter(ClientCertificates.converter(clients))
					.authenticationProvider(PublicClientRequests.provider(clients))
					.authenticationProviders(providers -> providers.replaceAll(provider -> provider instanceof ClientSecretAuthenticationProvider
							? new ThrottledPasswordCheck(provider, failedPasswords, FailedPasswords.Kind.CLIENT,
									() -> new OAuth2AuthenticationException(OAuth2ErrorCodes.INVALID_CLIENT))
							: provider instanceof org.springframework.security.oauth2.server.authorization.authentication.X509ClientCertificateAuthenticationProvider
									? ClientCertificates.provider(provider, certificateTrust) : provider)))
				.authorizationServerMetadataEndpoint(metadata -> metadata
					.authorizationServerMetadataCustomizer(m -> m.claims(claims -> {
						ProviderMetadata.describe(claims, properties.issuer(), scopes);
						ProviderMetadata.describeMtls(claims, properties.issuer(), mtls);
					})))
				.oidc(oidc -> oidc
					.logoutEndpoint(logout -> logout.logoutResponseHandler(RpInitiatedLogout.responseHandler(events)))
					.providerConfigurationEndpoint(config -> config
						.providerConfigurationCustomizer(m -> m.claims(claims -> {
							ProviderMetadata.describe(claims, properties.issuer(), scopes);
							ProviderMetadata.describeSubjectTypes(claims);
							ProviderMetadata.describeMtls(claims, properties.issuer(), mtls);
						})))
					// userinfo is computed now, through the whitelist as it stands, not copied from the ID token
					.userInfoEndpoint(userInfo -> userInfo.userInfoMapper(context -> {
						var authorization = context.getAuthorization();
						var client = clients.findById(authorization.getRegisteredClientId());
						java.util.Map<String, Object> claims = new java.util.LinkedHashMap<>();
						claims.put("sub", subjects.subjectFor(authorization.getPrincipalName(), client.getClientId()));
						claims.putAll(claimRelease.release(client, authorization.getPrincipalName(),
								authorization.getAuthorizedScopes(), "userinfo"));
						return new org.springframework.security.oauth2.core.oidc.OidcUserInfo(claims);
					}).errorResponseHandler(BearerChallenges.userInfoErrors()))))
			.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
			.oauth2ResourceServer(resourceServer -> resourceServer.authenticationEntryPoint(BearerChallenges.entryPoint())
				.bearerTokenResolver(new UserInfoBearerTokens())
				// a token bound to a certificate (cnf.x5t#S256) is good only over a connection with that certificate
				.jwt(jwt -> jwt.decoder(accessTokenDecoder(keys, properties, revoked, true))))
			// only a person at the authorization endpoint is sent to sign in (and remembered in a session);
			// API calls get a 401 and no session
			.requestCache(cache -> cache.requestCache(ApiRequests.authorizationRequestsOnly()))
			.exceptionHandling(exceptions -> exceptions.authenticationEntryPoint(ApiRequests.entryPoint(
					new LoginUrlAuthenticationEntryPoint("/login"), AuthorizationServerConfig::invalidClient,
					BearerChallenges.entryPoint())))
			.addFilterBefore(new OAuthRequestGuardFilter(), SecurityContextHolderFilter.class)
			.addFilterAfter(RpInitiatedLogout.withoutIdTokenHint(), SecurityContextHolderFilter.class)
			.addFilterBefore(new AuthorizationRequestFilter(clients, new ReauthenticationRequests(clock), responses.failureHandler()),
					org.springframework.security.web.access.intercept.AuthorizationFilter.class);
		endpointFilters.orderedStream()
			.forEach(f -> http.addFilterBefore(f.filter(),
					org.springframework.security.web.access.intercept.AuthorizationFilter.class));
		SecurityHeaders.apply(http);
		return http.build();
	}

	/** A client endpoint called with no client authentication at all: RFC 6749 §5.2 {@code invalid_client}. */
	private static void invalidClient(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException exception) throws IOException {
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Basic realm=\"tongxing\"");
		response.setHeader("Cache-Control", "no-store");
		response.setContentType(MediaType.APPLICATION_JSON_VALUE);
		response.getWriter()
			.write("{\"error\":\"invalid_client\",\"error_description\":\"Client authentication is required\"}");
	}

	@Bean
	AuthorizationServerSettings authorizationServerSettings(OidcProperties properties) {
		return AuthorizationServerSettings.builder()
			.issuer(properties.issuer())
			.tokenRevocationEndpoint(REVOCATION_ENDPOINT)
			.build();
	}

	@Bean
	RegisteredClientRepository registeredClientRepository(JdbcOperations jdbc, Clock clock,
			@org.springframework.beans.factory.annotation.Value("${tongxing.clients-cache-ttl:1s}") java.time.Duration ttl) {
		return new CachingRegisteredClientRepository(new JdbcRegisteredClientRepository(jdbc), ttl, clock);
	}

	@Bean
	OAuth2AuthorizationService authorizationService(JdbcOperations jdbcOperations, JdbcClient jdbc,
			RegisteredClientRepository clients, TokenProperties tokens, Clock clock,
			dev.tongxing.server.crypto.JoseDataCipher cipher) {
		return new SelfContainedTokens.ClientGrantsNotStored(new RefreshTokenFamilyAuthorizationService(
				new SealedJdbcAuthorizationService(jdbcOperations, clients, cipher), jdbc,
				tokens.refreshTokenReuseGrace(), clock));
	}

	@Bean
	RevokedAccessTokens revokedAccessTokens(JdbcClient jdbc, Clock clock) {
		RevokedAccessTokens revoked = new RevokedAccessTokens(jdbc, clock);
		revoked.refresh(); // every live revocation known before the first request
		return revoked;
	}

	/** {@code pii rekey} re-seals the authorizations' sealed columns too. */
	@Bean
	dev.tongxing.server.crypto.SealedColumns authorizationSealedColumns() {
		return SealedJdbcAuthorizationService.COLUMNS;
	}

	@Bean
	OAuth2AuthorizationConsentService authorizationConsentService(JdbcOperations jdbc,
			RegisteredClientRepository clients) {
		return new JdbcOAuth2AuthorizationConsentService(jdbc, clients);
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return new VerifiedSecretCache(PasswordEncoderFactories.createDelegatingPasswordEncoder());
	}

	@Bean
	ClientImporter clientImporter(OidcProperties properties, TokenProperties tokens, List<ClientDefinition> contributed,
			RegisteredClientRepository clients, PasswordEncoder passwordEncoder,
			dev.tongxing.server.crypto.MasterKeyCipher cipher, org.springframework.core.env.Environment environment,
			ApplicationEventPublisher events, dev.tongxing.server.mtls.MtlsProperties mtls) {
		return new ClientImporter(properties, tokens, contributed, clients, passwordEncoder, cipher, environment, events,
				java.util.Set.copyOf(mtls.methods()));
	}

	/** Signs with the active key of the algorithm a token's header names (RS256, ES256 or EdDSA). */
	@Bean
	JwtEncoder jwtEncoder(SigningKeys keys) {
		return new SigningKeysJwtEncoder(keys);
	}

	/**
	 * Accepts our own access tokens only (RFC 9068 {@code at+jwt}), never an ID token used as a bearer token,
	 * in any of the algorithms clients may register, and none on the revocation list.
	 */
	@Bean
	JwtDecoder jwtDecoder(SigningKeys keys, OidcProperties properties, RevokedAccessTokens revoked) {
		return accessTokenDecoder(keys, properties, revoked, false);
	}

	/**
	 * @param certificateBound also check a token's certificate binding ({@code cnf.x5t#S256}, RFC 8705 §3) against the
	 * current request's client certificate: for a token presented by its holder (userinfo), not for one a client asks
	 * about (introspection, revocation)
	 */
	static JwtDecoder accessTokenDecoder(SigningKeys keys, OidcProperties properties, RevokedAccessTokens revoked,
			boolean certificateBound) {
		NimbusJwtDecoder decoder = new NimbusJwtDecoder(new dev.tongxing.server.oidc.keys.SigningKeysJwtProcessor(keys));
		List<org.springframework.security.oauth2.core.OAuth2TokenValidator<org.springframework.security.oauth2.jwt.Jwt>> validators = List
			.of(new JwtTimestampValidator(), new JwtIssuerValidator(properties.issuer()), new JwtTypeValidator("at+jwt"),
					jwt -> revoked.isRevoked(jwt.getId())
							? org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.failure(
									new org.springframework.security.oauth2.core.OAuth2Error("invalid_token",
											"The access token was revoked", null))
							: org.springframework.security.oauth2.core.OAuth2TokenValidatorResult.success());
		// Spring's createDefaultWithValidators adds its X509CertificateThumbprintValidator (the request's certificate)
		decoder.setJwtValidator(certificateBound
				? org.springframework.security.oauth2.jwt.JwtValidators.createDefaultWithValidators(validators)
				: new DelegatingOAuth2TokenValidator<>(validators));
		return decoder;
	}

	@Bean
	OAuth2TokenGenerator<?> tokenGenerator(JwtEncoder encoder, ClaimRelease release, Clock clock,
			List<UserTokenGuard> guards,
			org.springframework.beans.factory.ObjectProvider<SubjectResolver> subjects) {
		TokenClaims claims = new TokenClaims(release, subjects.getIfAvailable(() -> SubjectResolver.ACCOUNT_ID));
		org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer<org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext> customizer = context -> {
			// every user grant generates a JWT access token first: asking there covers them all
			if (OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())
					&& !AuthorizationGrantType.CLIENT_CREDENTIALS.equals(context.getAuthorizationGrantType())) {
				guards.forEach(guard -> guard.check(context.getPrincipal().getName(),
						context.getRegisteredClient().getClientId()));
			}
			claims.customize(context);
		};
		JwtGenerator idTokens = new JwtGenerator(encoder); // access tokens never reach it: AccessTokenGenerator answers first
		idTokens.setJwtCustomizer(customizer);
		idTokens.setClock(clock);
		return new DelegatingOAuth2TokenGenerator(new AccessTokenGenerator(encoder, customizer, clock), idTokens,
				new RotatingRefreshTokenGenerator(clock));
	}

}
