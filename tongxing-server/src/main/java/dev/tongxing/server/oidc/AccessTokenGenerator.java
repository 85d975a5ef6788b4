package dev.tongxing.server.oidc;

import dev.tongxing.server.crypto.RandomIds;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import dev.tongxing.server.oidc.keys.SigningKeysJwtEncoder;
import java.time.Clock;
import java.time.Instant;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.settings.OAuth2TokenFormat;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenGenerator;

/**
 * JWT access tokens, claim for claim as Spring Authorization Server's {@code JwtGenerator} makes them, with
 * two differences: the header names the client's registered algorithm ({@code access-token-signing-alg}),
 * and the {@code jti} comes from {@link RandomIds} instead of {@code UUID.randomUUID()}, whose one JDK-wide
 * lock every token request queued on. ID tokens are still Spring Authorization Server's. A token is bound
 * ({@code cnf}) to a DPoP proof's key ({@code jkt}, RFC 9449) and, for a client registered for it, to the TLS
 * certificate it authenticated with ({@code x5t#S256}, RFC 8705), as Spring's own generator and customizers do.
 */
final class AccessTokenGenerator implements OAuth2TokenGenerator<Jwt> {

	private final JwtEncoder encoder;

	private final OAuth2TokenCustomizer<JwtEncodingContext> customizer;

	private final Clock clock;

	AccessTokenGenerator(JwtEncoder encoder, OAuth2TokenCustomizer<JwtEncodingContext> customizer, Clock clock) {
		this.encoder = encoder;
		this.customizer = customizer;
		this.clock = clock;
	}

	@Override
	public Jwt generate(OAuth2TokenContext context) {
		if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType()) || !OAuth2TokenFormat.SELF_CONTAINED
			.equals(context.getRegisteredClient().getTokenSettings().getAccessTokenFormat())) {
			return null;
		}
		RegisteredClient client = context.getRegisteredClient();
		Instant issuedAt = this.clock.instant();
		JwtClaimsSet.Builder claims = JwtClaimsSet.builder();
		if (context.getAuthorizationServerContext() != null
				&& context.getAuthorizationServerContext().getIssuer() != null) {
			claims.issuer(context.getAuthorizationServerContext().getIssuer());
		}
		claims.subject(context.getPrincipal().getName())
			.audience(java.util.Collections.singletonList(client.getClientId())) // a type the stored metadata may hold
			.issuedAt(issuedAt)
			.expiresAt(issuedAt.plus(client.getTokenSettings().getAccessTokenTimeToLive()))
			.notBefore(issuedAt)
			.id(RandomIds.next());
		if (context.getAuthorizedScopes() != null && !context.getAuthorizedScopes().isEmpty()) {
			claims.claim(OAuth2ParameterNames.SCOPE, context.getAuthorizedScopes());
		}
		JwsHeader.Builder header = JwsHeader
			.with(SigningKeysJwtEncoder.algorithm(ClientSettingNames.accessTokenSigningAlg(client)));
		JwtEncodingContext.Builder encoding = JwtEncodingContext.with(header, claims)
			.registeredClient(client)
			.principal(context.getPrincipal())
			.authorizationServerContext(context.getAuthorizationServerContext())
			.authorizedScopes(context.getAuthorizedScopes())
			.tokenType(context.getTokenType())
			.authorizationGrantType(context.getAuthorizationGrantType());
		if (context.getAuthorization() != null) {
			encoding.authorization(context.getAuthorization());
		}
		if (context.getAuthorizationGrant() != null) {
			encoding.authorizationGrant(context.getAuthorizationGrant());
		}
		// a plain LinkedHashMap: the authorization row's JSON mapper refuses the JDK's immutable maps
		java.util.Map<String, Object> confirmation = new java.util.LinkedHashMap<>();
		Jwt proof = context.get(OAuth2TokenContext.DPOP_PROOF_KEY);
		if (proof != null) {
			// RFC 9449 §6.1: the token is bound to the proof's key (and so answered as token_type DPoP)
			confirmation.put("jkt", thumbprint(proof));
			encoding.put(OAuth2TokenContext.DPOP_PROOF_KEY, proof);
		}
		java.security.cert.X509Certificate certificate = boundCertificate(context);
		if (certificate != null) {
			// RFC 8705 §3.1: bound to the certificate the client authenticated with, as Spring's JwtGenerator does
			confirmation.put("x5t#S256", com.nimbusds.jose.util.X509CertUtils.computeSHA256Thumbprint(certificate).toString());
		}
		if (!confirmation.isEmpty()) {
			claims.claim("cnf", confirmation);
		}
		this.customizer.customize(encoding.build());
		return this.encoder.encode(JwtEncoderParameters.from(header.build(), claims.build()));
	}

	/**
	 * The client's certificate when its tokens are to be bound to it ({@code tls-client-certificate-bound-access-tokens})
	 * and it authenticated with one ({@code tls_client_auth}, {@code self_signed_tls_client_auth}); otherwise null.
	 */
	private static java.security.cert.X509Certificate boundCertificate(OAuth2TokenContext context) {
		if (!context.getRegisteredClient().getTokenSettings().isX509CertificateBoundAccessTokens()
				|| context.getAuthorizationGrant() == null
				|| !(context.getAuthorizationGrant().getPrincipal() instanceof org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken client)) {
			return null;
		}
		boolean byCertificate = org.springframework.security.oauth2.core.ClientAuthenticationMethod.TLS_CLIENT_AUTH
			.equals(client.getClientAuthenticationMethod())
				|| org.springframework.security.oauth2.core.ClientAuthenticationMethod.SELF_SIGNED_TLS_CLIENT_AUTH
					.equals(client.getClientAuthenticationMethod());
		return byCertificate && client.getCredentials() instanceof java.security.cert.X509Certificate[] chain
				&& chain.length > 0 ? chain[0] : null;
	}

	/** The SHA-256 JWK thumbprint (RFC 7638) of the key in a DPoP proof's header, which the proof was verified with. */
	private static String thumbprint(Jwt proof) {
		try {
			@SuppressWarnings("unchecked")
			java.util.Map<String, Object> jwk = (java.util.Map<String, Object>) proof.getHeaders().get("jwk");
			return com.nimbusds.jose.jwk.JWK.parse(jwk).computeThumbprint().toString();
		}
		catch (java.text.ParseException | com.nimbusds.jose.JOSEException | ClassCastException ex) {
			throw new IllegalStateException("a verified DPoP proof without a usable jwk header", ex);
		}
	}

}
