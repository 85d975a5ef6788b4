package dev.tongxing.server.oidc.client;

import java.util.List;
import org.springframework.boot.context.properties.bind.ConstructorBinding;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One client as written under {@code tongxing.clients[*]}. The keys are the project's public
 * configuration contract.
 *
 * @param clientSecret plain text here, hashed on import; absent for a public client
 * @param tier rate-limit tier
 * @param firstParty first-party clients skip the OAuth consent screen
 * @param claims the claims the client may receive (its data-sharing whitelist); empty: all its scopes allow
 * @param eventsEndpoint where the client receives Security Event Tokens (RFC 8935 push), or none
 * @param eventsRegion where the client's event and logout receivers are (data residency)
 * @param eventsAuthorization the {@code Authorization} header value the receiver expects (encrypted on import)
 * @param backchannelLogoutUri where the client receives back-channel logout tokens, or none
 * @param backchannelLogoutSessionRequired whether the client needs {@code sid} in logout tokens
 * @param accessTokenSigningAlg how its access tokens are signed: {@code RS256} (default), {@code ES256} or
 * {@code EdDSA} (Ed25519)
 * @param idTokenSignedResponseAlg how its ID tokens are signed (OIDC Registration's
 * {@code id_token_signed_response_alg}): {@code RS256} (default), {@code ES256} or {@code EdDSA}
 * @param rateLimit the client's own rate limits instead of its tier's, or none
 * @param requirePkce false lets a confidential client go without PKCE; it must then send a {@code nonce} with
 * every OpenID request (RFC 9700 §2.1.1)
 * @param requireNonce whether every OpenID request must carry a {@code nonce}; unset: only when PKCE is not required.
 * {@code false} with {@code require-pkce: false} leaves the client's codes without injection protection: for a
 * certification suite's clients only (OIDC Core makes the nonce optional in the code flow)
 * @param clientAuthenticationMethod none (a secret, or none for a public client), or authentication by certificate
 * (RFC 8705): {@code tls_client_auth} (a certificate from {@code tongxing.mtls.client-ca} with the subject
 * {@code tlsClientAuthSubjectDn}) or {@code self_signed_tls_client_auth} (a certificate whose key is in the JWK set at
 * {@code jwksUri}); such a client has no secret
 * @param tlsClientAuthSubjectDn the subject of a {@code tls_client_auth} client's certificate (RFC 8705 §2.1.2)
 * @param jwksUri where a {@code self_signed_tls_client_auth} client publishes its certificates ({@code x5c})
 * @param tlsClientCertificateBoundAccessTokens whether its access tokens are bound to the certificate it
 * authenticated with ({@code cnf.x5t#S256}, RFC 8705 §3)
 * @param subjectType which {@code sub} the client gets for a person (OIDC Core §8): {@code public} (the account id)
 * or {@code pairwise} (a hash of the account id and the client's sector); unset: as stored for a client imported
 * before ({@code public} for one stored before the setting existed), else {@code public} for a first-party client
 * and {@code pairwise} for any other
 * @param sectorIdentifier the host name a pairwise client's subjects are computed for (clients of one sector see
 * one {@code sub}); unset: the host of its redirect URIs, which must then be a single one
 */
public record ClientDefinition(String clientId, String clientSecret, String clientName,
		@DefaultValue List<String> redirectUris, @DefaultValue List<String> postLogoutRedirectUris,
		@DefaultValue({ "openid" }) List<String> scopes,
		@DefaultValue({ "authorization_code", "refresh_token" }) List<String> grantTypes,
		@DefaultValue("C") ClientTier tier, @DefaultValue("false") boolean firstParty,
		@DefaultValue List<String> claims, String eventsEndpoint, @DefaultValue("cn") String eventsRegion,
		String eventsAuthorization, String backchannelLogoutUri,
		@DefaultValue("false") boolean backchannelLogoutSessionRequired,
		@DefaultValue("RS256") String accessTokenSigningAlg, @DefaultValue("RS256") String idTokenSignedResponseAlg,
		ClientRateLimit rateLimit, @DefaultValue("true") boolean requirePkce, Boolean requireNonce,
		String clientAuthenticationMethod,
		String tlsClientAuthSubjectDn, String jwksUri,
		@DefaultValue("false") boolean tlsClientCertificateBoundAccessTokens, String subjectType,
		String sectorIdentifier) {

	/** The client authentication methods by certificate (RFC 8705 §2). */
	public static final java.util.Set<String> CERTIFICATE_METHODS = java.util.Set.of("tls_client_auth",
			"self_signed_tls_client_auth");

	@ConstructorBinding
	public ClientDefinition {
	}

	/** A client whose subject type follows the defaults (see {@code subjectType}). */
	public ClientDefinition(String clientId, String clientSecret, String clientName, List<String> redirectUris,
			List<String> postLogoutRedirectUris, List<String> scopes, List<String> grantTypes, ClientTier tier,
			boolean firstParty, List<String> claims, String eventsEndpoint, String eventsRegion,
			String eventsAuthorization, String backchannelLogoutUri, boolean backchannelLogoutSessionRequired,
			String accessTokenSigningAlg, String idTokenSignedResponseAlg, ClientRateLimit rateLimit,
			boolean requirePkce, Boolean requireNonce, String clientAuthenticationMethod, String tlsClientAuthSubjectDn,
			String jwksUri, boolean tlsClientCertificateBoundAccessTokens) {
		this(clientId, clientSecret, clientName, redirectUris, postLogoutRedirectUris, scopes, grantTypes, tier,
				firstParty, claims, eventsEndpoint, eventsRegion, eventsAuthorization, backchannelLogoutUri,
				backchannelLogoutSessionRequired, accessTokenSigningAlg, idTokenSignedResponseAlg, rateLimit, requirePkce,
				requireNonce, clientAuthenticationMethod, tlsClientAuthSubjectDn, jwksUri,
				tlsClientCertificateBoundAccessTokens, null, null);
	}

	/** A client that authenticates with a secret, or none (a public client), whose nonce rule follows its PKCE setting. */
	public ClientDefinition(String clientId, String clientSecret, String clientName, List<String> redirectUris,
			List<String> postLogoutRedirectUris, List<String> scopes, List<String> grantTypes, ClientTier tier,
			boolean firstParty, List<String> claims, String eventsEndpoint, String eventsRegion,
			String eventsAuthorization, String backchannelLogoutUri, boolean backchannelLogoutSessionRequired,
			String accessTokenSigningAlg, String idTokenSignedResponseAlg, ClientRateLimit rateLimit,
			boolean requirePkce) {
		this(clientId, clientSecret, clientName, redirectUris, postLogoutRedirectUris, scopes, grantTypes, tier,
				firstParty, claims, eventsEndpoint, eventsRegion, eventsAuthorization, backchannelLogoutUri,
				backchannelLogoutSessionRequired, accessTokenSigningAlg, idTokenSignedResponseAlg, rateLimit, requirePkce,
				null, null, null, null, false, null, null);
	}

	/** A client that uses PKCE, whose tokens are signed RS256, on its tier's rate limits. */
	public ClientDefinition(String clientId, String clientSecret, String clientName, List<String> redirectUris,
			List<String> postLogoutRedirectUris, List<String> scopes, List<String> grantTypes, ClientTier tier,
			boolean firstParty, List<String> claims, String eventsEndpoint, String eventsRegion,
			String eventsAuthorization, String backchannelLogoutUri, boolean backchannelLogoutSessionRequired) {
		this(clientId, clientSecret, clientName, redirectUris, postLogoutRedirectUris, scopes, grantTypes, tier,
				firstParty, claims, eventsEndpoint, eventsRegion, eventsAuthorization, backchannelLogoutUri,
				backchannelLogoutSessionRequired, "RS256", "RS256", null, true, null, null, null, null, false, null, null);
	}

	/** A client without event or logout receivers. */
	public ClientDefinition(String clientId, String clientSecret, String clientName, List<String> redirectUris,
			List<String> postLogoutRedirectUris, List<String> scopes, List<String> grantTypes, ClientTier tier,
			boolean firstParty, List<String> claims) {
		this(clientId, clientSecret, clientName, redirectUris, postLogoutRedirectUris, scopes, grantTypes, tier,
				firstParty, claims, null, "cn", null, null, false, "RS256", "RS256", null, true, null, null, null, null, false,
				null, null);
	}

	/** Whether every OpenID request must carry a nonce: as configured, else exactly when PKCE is not required. */
	public boolean nonceRequired() {
		return requireNonce != null ? requireNonce : !requirePkce;
	}

	/** A client with neither a secret nor a certificate to authenticate with. */
	public boolean isPublic() {
		return (clientSecret == null || clientSecret.isBlank()) && !authenticatesByCertificate();
	}

	/** Whether the client authenticates with a TLS client certificate (RFC 8705). */
	public boolean authenticatesByCertificate() {
		return clientAuthenticationMethod != null && !clientAuthenticationMethod.isBlank();
	}

}
