package dev.tongxing.server.connector.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks an upstream's ID token (OpenID Connect Core §3.1.3.7) with Nimbus: signature against the
 * provider's keys, {@code iss}, {@code aud}/{@code azp}, {@code exp}/{@code iat} and {@code nonce}.
 * Only asymmetric signatures count: {@code none} and HMAC are refused.
 */
final class IdTokenVerifier {

	private static final Set<JWSAlgorithm> ASYMMETRIC = new LinkedHashSet<>(List.of(JWSAlgorithm.RS256,
			JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512,
			JWSAlgorithm.ES256, JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.Ed25519, JWSAlgorithm.EdDSA));

	/** Tolerated difference between the provider's clock and ours. */
	private static final int MAX_CLOCK_SKEW_SECONDS = 60;

	private final IDTokenValidator validator;

	IdTokenVerifier(String issuer, String clientId, Set<JWSAlgorithm> algorithms, JWKSource<SecurityContext> keys) {
		this.validator = new IDTokenValidator(new Issuer(issuer), new ClientID(clientId),
				new JWSVerificationKeySelector<>(algorithms, keys), null);
		this.validator.setMaxClockSkew(MAX_CLOCK_SKEW_SECONDS);
	}

	/**
	 * The algorithms to accept: the asymmetric ones the provider advertises, or RS256, which every provider
	 * must support (OpenID Connect Discovery §3).
	 */
	static Set<JWSAlgorithm> acceptedAlgorithms(List<JWSAlgorithm> advertised) {
		Set<JWSAlgorithm> accepted = new LinkedHashSet<>();
		if (advertised != null) {
			advertised.stream().filter(ASYMMETRIC::contains).forEach(accepted::add);
		}
		return accepted.isEmpty() ? Set.of(JWSAlgorithm.RS256) : accepted;
	}

	IDTokenClaimsSet verify(JWT idToken, Nonce expectedNonce) throws BadJOSEException, JOSEException {
		return this.validator.validate(idToken, expectedNonce);
	}

}
