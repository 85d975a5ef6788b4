package dev.tongxing.server.oidc.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.text.ParseException;
import java.util.HashSet;
import java.util.List;

/**
 * Verifies the signatures of JWTs the gateway signed, with any of its algorithms. RS256 and ES256 go through
 * Nimbus's key selection; EdDSA cannot (Nimbus turns selected keys into JDK keys, and an Ed25519 key is verified
 * from its JWK), so its key is found by {@code kid} among the gateway's keys and checked with Nimbus's
 * {@link Ed25519Verifier}. Claims are left to Spring Security's validators, as its own decoder does.
 */
public final class SigningKeysJwtProcessor extends DefaultJWTProcessor<SecurityContext> {

	private final SigningKeys keys;

	public SigningKeysJwtProcessor(SigningKeys keys) {
		this.keys = keys;
		setJWSKeySelector(new JWSVerificationKeySelector<>(new HashSet<>(SigningKeys.ALGORITHMS), keys));
		setJWSTypeVerifier((header, context) -> {
			// the token type (at+jwt) is checked by Spring Security's JwtTypeValidator
		});
		setJWTClaimsSetVerifier((claims, context) -> {
			// expiry, issuer: Spring Security's validators
		});
	}

	@Override
	public JWTClaimsSet process(SignedJWT jwt, SecurityContext context) throws BadJOSEException, JOSEException {
		if (!JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())) {
			return super.process(jwt, context);
		}
		String kid = jwt.getHeader().getKeyID();
		List<JWK> found = kid == null ? List.of()
				: this.keys.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), context);
		if (found.isEmpty() || !(found.get(0) instanceof OctetKeyPair key)) {
			throw new BadJOSEException("Signed JWT rejected: no matching Ed25519 key");
		}
		if (!jwt.verify(new Ed25519Verifier(key.toPublicJWK()))) {
			throw new BadJWSException("Signed JWT rejected: invalid signature");
		}
		try {
			return jwt.getJWTClaimsSet();
		}
		catch (ParseException ex) {
			throw new BadJWSException("Signed JWT rejected: its claims are not a JSON object");
		}
	}

}
