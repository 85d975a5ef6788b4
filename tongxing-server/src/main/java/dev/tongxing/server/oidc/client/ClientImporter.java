package dev.tongxing.server.oidc.client;

import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.TokenProperties;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.env.Environment;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;

/**
 * Imports the clients written in configuration into the database at start-up, so every node serves the
 * same set. A client already stored keeps its id and, when the configured secret still matches, its
 * secret hash. Clients not in configuration are left alone.
 */
public class ClientImporter implements SmartInitializingSingleton {

	private static final Logger log = LoggerFactory.getLogger(ClientImporter.class);

	/** The JWS algorithms a client may choose for its tokens; the gateway holds a signing key for each. */
	public static final List<String> SIGNING_ALGORITHMS = List.of("RS256", "ES256", "EdDSA");

	static final Set<String> SUPPORTED_GRANTS = Set.of("authorization_code", "refresh_token", "client_credentials",
			"urn:ietf:params:oauth:grant-type:token-exchange");

	private final OidcProperties properties;

	private final RegisteredClientRepository repository;

	private final PasswordEncoder passwordEncoder;

	/** Seals the event receivers' authorization headers (a credential, kept encrypted at rest). */
	private final MasterKeyCipher cipher;

	/** Clients contributed by code (e.g. the dev profile's demo client) rather than configuration. */
	private final List<ClientDefinition> contributed;

	/** Where the configuration came from, to find keys no client setting has. */
	private final Environment environment;

	private final ApplicationEventPublisher events;

	private final TokenProperties tokens;

	/** The client authentication methods by certificate this deployment serves ({@code tongxing.mtls.*}). */
	private final Set<String> certificateMethods;

	public ClientImporter(OidcProperties properties, TokenProperties tokens, List<ClientDefinition> contributed,
			RegisteredClientRepository repository, PasswordEncoder passwordEncoder, MasterKeyCipher cipher,
			Environment environment, ApplicationEventPublisher events, Set<String> certificateMethods) {
		this.tokens = tokens;
		this.certificateMethods = Set.copyOf(certificateMethods);
		this.environment = environment;
		this.events = events;
		this.cipher = cipher;
		this.properties = properties;
		this.contributed = contributed;
		this.repository = repository;
		this.passwordEncoder = passwordEncoder;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> problems = new ArrayList<>(ClientSettingKeys.unknown(this.environment));
		List<ClientDefinition> definitions = new ArrayList<>(this.properties.clients());
		this.contributed.stream()
			.filter(c -> definitions.stream().noneMatch(d -> d.clientId().equals(c.clientId())))
			.forEach(definitions::add);
		List<Subjects> subjects = new ArrayList<>();
		for (int i = 0; i < definitions.size(); i++) {
			ClientDefinition definition = definitions.get(i);
			int before = problems.size();
			validate("tongxing.clients[" + i + "]", definition, problems, this.properties.issuer());
			unservedMethod("tongxing.clients[" + i + "]", definition, this.certificateMethods).ifPresent(problems::add);
			subjects.add(problems.size() > before ? null
					: subjects("tongxing.clients[" + i + "] (" + definition.clientId() + ")", definition,
							this.repository.findByClientId(definition.clientId()), problems));
		}
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid client configuration:\n  - " + String.join("\n  - ", problems));
		}
		for (int i = 0; i < definitions.size(); i++) {
			ClientDefinition definition = definitions.get(i);
			RegisteredClient client = toRegisteredClient(definition, subjects.get(i));
			try {
				this.repository.save(client);
			}
			catch (org.springframework.dao.DuplicateKeyException raced) {
				// another node starting at the same moment imported it first (both found none): it is there now,
				// and saving the same configuration again updates it
				this.repository.save(client);
			}
			log.info("Imported client '{}' ({}, tier {}, {} subjects{})", definition.clientId(),
					definition.isPublic() ? "public" : "confidential", definition.tier(), subjects.get(i).type(),
					subjects.get(i).sector() == null ? "" : " for sector " + subjects.get(i).sector());
			if (!definition.requirePkce()) {
				log.warn(definition.nonceRequired()
						? "Client '{}' may send authorization requests without PKCE (require-pkce: false); it must send a "
								+ "nonce instead. Turn PKCE back on once the client supports it"
						: "Client '{}' may send authorization requests with neither PKCE nor a nonce (require-pkce: false, "
								+ "require-nonce: false): its authorization codes have no protection against injection "
								+ "(RFC 9700 §2.1.1). Meant for a certification suite's clients only",
						definition.clientId());
				this.events.publishEvent(new ClientWithoutPkce(this, definition.clientId(), definition.nonceRequired()));
			}
		}
	}

	/** Whether the URI is a path on the issuer's own origin (scheme, host and port), with no fragment. */
	static boolean onOrigin(String uri, String issuer) {
		if (issuer == null) {
			return false;
		}
		try {
			java.net.URI u = new java.net.URI(uri);
			java.net.URI i = new java.net.URI(issuer);
			return u.isAbsolute() && u.getRawFragment() == null && u.getRawUserInfo() == null
					&& i.getScheme().equalsIgnoreCase(u.getScheme()) && i.getHost() != null
					&& i.getHost().equalsIgnoreCase(u.getHost()) && i.getPort() == u.getPort()
					&& u.getRawPath() != null && u.getRawPath().startsWith(i.getRawPath() == null ? "/" : i.getRawPath() + "/");
		}
		catch (java.net.URISyntaxException ex) {
			return false;
		}
	}

	static void validate(String where, ClientDefinition d, List<String> problems) {
		validate(where, d, problems, null);
	}

	/**
	 * @param issuer the gateway's own issuer: a redirect URI on its origin (the gateway's own pages, such as the
	 * console's) is the gateway itself, whatever scheme and host the issuer names (e.g. {@code http://localhost})
	 */
	static void validate(String where, ClientDefinition d, List<String> problems, String issuer) {
		if (d.clientId() == null || !d.clientId().matches("[A-Za-z0-9._-]{1,100}")) {
			problems.add(where + ".client-id must be 1-100 characters of letters, digits, '.', '_' or '-'");
			return;
		}
		String name = where + " (" + d.clientId() + ")";
		for (String grant : d.grantTypes()) {
			if (grant.equals("implicit") || grant.equals("password")) {
				problems.add(name + ": the '" + grant + "' grant is not supported (removed by OAuth 2.1)");
			}
			else if (!SUPPORTED_GRANTS.contains(grant)) {
				problems.add(name + ": unknown grant type '" + grant + "'; supported: " + SUPPORTED_GRANTS);
			}
		}
		if (d.isPublic() && d.grantTypes().contains("client_credentials")) {
			problems.add(name + ": a public client (no client-secret) cannot use client_credentials");
		}
		if (d.grantTypes().contains("authorization_code") && d.redirectUris().isEmpty()) {
			problems.add(name + ": authorization_code needs at least one redirect-uris entry");
		}
		for (String uri : d.redirectUris()) {
			if (!onOrigin(uri, issuer)) {
				RedirectUriRules.problem(uri).ifPresent(p -> problems.add(name + ": redirect-uris " + p));
			}
		}
		for (String uri : d.postLogoutRedirectUris()) {
			RedirectUriRules.problem(uri).ifPresent(p -> problems.add(name + ": post-logout-redirect-uris " + p));
		}
		if (d.scopes().isEmpty()) {
			problems.add(name + ": scopes must not be empty");
		}
		receiverProblem(d.eventsEndpoint()).ifPresent(p -> problems.add(name + ": events-endpoint " + p));
		receiverProblem(d.backchannelLogoutUri()).ifPresent(p -> problems.add(name + ": backchannel-logout-uri " + p));
		if (d.eventsRegion() == null || !d.eventsRegion().matches("[a-z][a-z0-9-]{0,31}")) {
			problems.add(name + ": events-region must be a lower-case region name such as 'cn'");
		}
		if (d.eventsAuthorization() != null && d.eventsEndpoint() == null) {
			problems.add(name + ": events-authorization needs an events-endpoint");
		}
		if (d.eventsAuthorization() != null && !d.eventsAuthorization().matches("[\\x21-\\x7E]+( [\\x21-\\x7E]+)*")) {
			problems.add(name + ": events-authorization must be one header value of printable ASCII, e.g. 'Bearer abc'");
		}
		if (!SIGNING_ALGORITHMS.contains(d.accessTokenSigningAlg())) {
			problems.add(name + ": access-token-signing-alg must be one of " + SIGNING_ALGORITHMS);
		}
		if (!SIGNING_ALGORITHMS.contains(d.idTokenSignedResponseAlg())) {
			problems.add(name + ": id-token-signed-response-alg must be one of " + SIGNING_ALGORITHMS);
		}
		if (d.rateLimit() != null && d.rateLimit().problem() != null) {
			problems.add(name + ": rate-limit " + d.rateLimit().problem());
		}
		if (!d.requirePkce() && d.isPublic()) {
			problems.add(name + ": require-pkce: false is only for confidential clients; a public client must use PKCE");
		}
		if (d.backchannelLogoutSessionRequired() && d.backchannelLogoutUri() == null) {
			problems.add(name + ": backchannel-logout-session-required needs a backchannel-logout-uri");
		}
		if (d.subjectType() != null && !SUBJECT_TYPES.contains(d.subjectType())) {
			problems.add(name + ": subject-type must be 'public' or 'pairwise', not '" + d.subjectType() + "'");
		}
		if (d.sectorIdentifier() != null && !HOST_NAME.matcher(d.sectorIdentifier()).matches()) {
			problems.add(name + ": sector-identifier '" + d.sectorIdentifier() + "' must be a lower-case host name such "
					+ "as 'example.com' (a sector_identifier_uri document is not fetched)");
		}
		certificateProblems(name, d, problems);
	}

	static final Set<String> SUBJECT_TYPES = Set.of(ClientSettingNames.PUBLIC, ClientSettingNames.PAIRWISE);

	private static final java.util.regex.Pattern HOST_NAME = java.util.regex.Pattern
		.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

	/** The subject type a client is imported with, and its sector when pairwise. */
	record Subjects(String type, String sector) {
	}

	/**
	 * The client's subject type: as configured; unset, as stored for a client imported before (public for one
	 * stored before subject types existed: its people keep the subs they have), and for a new client public when
	 * first-party, pairwise otherwise. A pairwise client's sector: as configured, else as stored, else the one
	 * host of its redirect URIs (the scheme of a native app's private-use one); a client without redirect URIs
	 * is a sector of its own ({@code client:<client-id>}).
	 * @return null when a problem was added
	 */
	static Subjects subjects(String name, ClientDefinition d, RegisteredClient existing, List<String> problems) {
		Object stored = existing == null ? null : existing.getClientSettings().getSetting(ClientSettingNames.SUBJECT_TYPE);
		String type;
		if (d.subjectType() != null) {
			type = d.subjectType();
		}
		else if (existing != null) {
			type = stored != null ? stored.toString() : ClientSettingNames.PUBLIC;
		}
		else {
			type = d.firstParty() ? ClientSettingNames.PUBLIC : ClientSettingNames.PAIRWISE;
		}
		if (existing != null && !type.equals(stored == null ? ClientSettingNames.PUBLIC : stored.toString())) {
			log.warn("Client '{}' had {} subjects and is configured {}: the people it knows get other subs from now on "
					+ "(those already given to it stay theirs)", d.clientId(), stored == null ? "public" : stored, type);
		}
		if (ClientSettingNames.PUBLIC.equals(type)) {
			if (d.sectorIdentifier() != null) {
				problems.add(name + ": sector-identifier is only for subject-type: pairwise (this client's subjects are "
						+ "public" + (d.subjectType() == null ? " by default" : "") + ")");
				return null;
			}
			return new Subjects(type, null);
		}
		if (d.sectorIdentifier() != null) {
			return new Subjects(type, d.sectorIdentifier());
		}
		String storedSector = existing == null ? null : ClientSettingNames.sectorIdentifier(existing);
		if (storedSector != null) {
			return new Subjects(type, storedSector);
		}
		Set<String> hosts = new java.util.TreeSet<>();
		for (String uri : d.redirectUris()) {
			URI parsed = URI.create(uri);
			hosts.add((parsed.getHost() != null ? parsed.getHost() : parsed.getScheme()).toLowerCase(java.util.Locale.ROOT));
		}
		if (hosts.size() > 1) {
			problems.add(name + ": its subjects are pairwise" + (d.subjectType() == null ? " (a client that is not "
					+ "first-party, new to this database)" : "") + ", and its redirect-uris span several hosts " + hosts
					+ ": set sector-identifier to the host name they are computed for (or subject-type: public)");
			return null;
		}
		return new Subjects(type, hosts.isEmpty() ? "client:" + d.clientId() : hosts.iterator().next());
	}

	/** A certificate method the deployment does not serve ({@code tongxing.mtls.*} not set up for it). */
	static Optional<String> unservedMethod(String where, ClientDefinition d, Set<String> served) {
		String method = d.clientAuthenticationMethod();
		if (!d.authenticatesByCertificate() || !ClientDefinition.CERTIFICATE_METHODS.contains(method)
				|| served.contains(method)) {
			return Optional.empty();
		}
		return Optional.of(where + " (" + d.clientId() + "): client-authentication-method " + method
				+ " needs mutual TLS: tongxing.mtls.port or tongxing.mtls.client-certificate-header"
				+ (method.equals("tls_client_auth") ? ", and tongxing.mtls.client-ca (the CAs that issue client certificates)"
						: ""));
	}

	/** Client authentication by certificate (RFC 8705 §2) and certificate-bound tokens (§3). */
	private static void certificateProblems(String name, ClientDefinition d, List<String> problems) {
		String method = d.clientAuthenticationMethod();
		if (d.authenticatesByCertificate() && !ClientDefinition.CERTIFICATE_METHODS.contains(method)) {
			problems.add(name + ": client-authentication-method must be tls_client_auth or self_signed_tls_client_auth "
					+ "(leave it out for a client with a secret, or a public one)");
			return;
		}
		if (d.authenticatesByCertificate() && d.clientSecret() != null && !d.clientSecret().isBlank()) {
			problems.add(name + ": a client that authenticates with a certificate (" + method + ") has no client-secret");
		}
		if ("tls_client_auth".equals(method)) {
			if (d.tlsClientAuthSubjectDn() == null || d.tlsClientAuthSubjectDn().isBlank()) {
				problems.add(name + ": tls_client_auth needs tls-client-auth-subject-dn (the certificate's subject, "
						+ "e.g. 'CN=live-backend,O=Example')");
			}
			else if (subjectDn(d.tlsClientAuthSubjectDn()) == null) {
				problems.add(name + ": tls-client-auth-subject-dn '" + d.tlsClientAuthSubjectDn()
						+ "' is not a distinguished name (RFC 4514)");
			}
		}
		else if (d.tlsClientAuthSubjectDn() != null) {
			problems.add(name + ": tls-client-auth-subject-dn is only for client-authentication-method tls_client_auth");
		}
		if ("self_signed_tls_client_auth".equals(method)) {
			if (d.jwksUri() == null || d.jwksUri().isBlank()) {
				problems.add(name + ": self_signed_tls_client_auth needs jwks-uri (the client's certificates, as x5c)");
			}
			else {
				receiverProblem(d.jwksUri()).ifPresent(p -> problems.add(name + ": jwks-uri " + p));
			}
		}
		else if (d.jwksUri() != null) {
			problems.add(name + ": jwks-uri is only for client-authentication-method self_signed_tls_client_auth");
		}
		if (d.tlsClientCertificateBoundAccessTokens() && !d.authenticatesByCertificate()) {
			problems.add(name + ": tls-client-certificate-bound-access-tokens needs a client-authentication-method by "
					+ "certificate (tls_client_auth or self_signed_tls_client_auth)");
		}
	}

	/** The subject in the form certificates are compared in (RFC 2253, as {@code X500Principal.getName()}), or null. */
	static String subjectDn(String dn) {
		try {
			return new javax.security.auth.x500.X500Principal(dn).getName();
		}
		catch (IllegalArgumentException notADn) {
			return null;
		}
	}

	/**
	 * Receivers get personal data: the rules of redirect URIs (https, or plain http only on a loopback IP
	 * literal; absolute; no fragment), and never an app's custom scheme.
	 */
	static Optional<String> receiverProblem(String uri) {
		if (uri == null) {
			return Optional.empty();
		}
		Optional<String> problem = RedirectUriRules.problem(uri);
		if (problem.isPresent()) {
			return problem;
		}
		String scheme = URI.create(uri).getScheme().toLowerCase(java.util.Locale.ROOT);
		return scheme.equals("https") || scheme.equals("http") ? Optional.empty()
				: Optional.of("'" + uri + "' must be an https URL (plain http only on 127.0.0.1 or [::1])");
	}

	RegisteredClient toRegisteredClient(ClientDefinition d, Subjects subjects) {
		RegisteredClient existing = this.repository.findByClientId(d.clientId());
		RegisteredClient.Builder builder = RegisteredClient.withId(existing != null ? existing.getId() : "client-" + d.clientId())
			.clientId(d.clientId())
			.clientIdIssuedAt(existing != null ? existing.getClientIdIssuedAt() : Instant.now())
			.clientName(d.clientName() != null ? d.clientName() : d.clientId());
		if (d.authenticatesByCertificate()) {
			builder.clientAuthenticationMethod(new ClientAuthenticationMethod(d.clientAuthenticationMethod()));
		}
		else if (d.isPublic()) {
			builder.clientAuthenticationMethod(ClientAuthenticationMethod.NONE);
		}
		else {
			boolean unchanged = existing != null && existing.getClientSecret() != null
					&& this.passwordEncoder.matches(d.clientSecret(), existing.getClientSecret());
			builder.clientSecret(unchanged ? existing.getClientSecret() : this.passwordEncoder.encode(d.clientSecret()))
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
				.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST);
		}
		d.grantTypes().forEach(g -> builder.authorizationGrantType(new AuthorizationGrantType(g)));
		d.redirectUris().forEach(builder::redirectUri);
		d.postLogoutRedirectUris().forEach(builder::postLogoutRedirectUri);
		d.scopes().forEach(builder::scope);
		ClientSettings.Builder settings = ClientSettings.builder()
			// PKCE S256 for every client, confidential ones too (OAuth 2.1), unless configured off for a confidential one
			.requireProofKey(d.requirePkce())
			.requireAuthorizationConsent(!d.firstParty())
			.setting(ClientSettingNames.REQUIRE_NONCE, d.nonceRequired())
			.setting(ClientSettingNames.TIER, d.tier().name())
			.setting(ClientSettingNames.FIRST_PARTY, d.firstParty())
			.setting(ClientSettingNames.SUBJECT_TYPE, subjects.type());
		if (subjects.sector() != null) {
			settings.setting(ClientSettingNames.SECTOR_IDENTIFIER, subjects.sector());
		}
		if (!d.claims().isEmpty()) {
			settings.setting(ClientSettingNames.CLAIMS, String.join(" ", d.claims()));
		}
		settings.setting(ClientSettingNames.EVENTS_REGION, d.eventsRegion())
			.setting(ClientSettingNames.ACCESS_TOKEN_SIGNING_ALG, d.accessTokenSigningAlg())
			.setting(ClientSettingNames.ID_TOKEN_SIGNING_ALG, d.idTokenSignedResponseAlg());
		if (d.eventsEndpoint() != null) {
			settings.setting(ClientSettingNames.EVENTS_ENDPOINT, d.eventsEndpoint());
		}
		if (d.eventsAuthorization() != null) {
			settings.setting(ClientSettingNames.EVENTS_AUTHORIZATION, this.cipher.encrypt(d.eventsAuthorization()));
		}
		if (d.backchannelLogoutUri() != null) {
			settings.setting(ClientSettingNames.BACKCHANNEL_LOGOUT_URI, d.backchannelLogoutUri())
				.setting(ClientSettingNames.BACKCHANNEL_LOGOUT_SESSION_REQUIRED, d.backchannelLogoutSessionRequired());
		}
		if (d.rateLimit() != null && !d.rateLimit().toSetting().isEmpty()) {
			settings.setting(ClientSettingNames.RATE_LIMIT, d.rateLimit().toSetting());
		}
		if (d.tlsClientAuthSubjectDn() != null) {
			settings.x509CertificateSubjectDN(subjectDn(d.tlsClientAuthSubjectDn()));
		}
		if (d.jwksUri() != null) {
			settings.jwkSetUrl(d.jwksUri());
		}
		builder.clientSettings(settings.build());
		TokenProperties tokens = this.tokens;
		builder.tokenSettings(TokenSettings.builder()
			.accessTokenFormat(OAuth2TokenFormat.SELF_CONTAINED)
			.accessTokenTimeToLive(tokens.accessTokenTtl())
			.refreshTokenTimeToLive(tokens.refreshTokenTtl())
			.authorizationCodeTimeToLive(tokens.authorizationCodeTtl())
			.reuseRefreshTokens(false)
			.x509CertificateBoundAccessTokens(d.tlsClientCertificateBoundAccessTokens())
			.idTokenSignatureAlgorithm(SignatureAlgorithm.RS256)
			.build());
		return builder.build();
	}

}
