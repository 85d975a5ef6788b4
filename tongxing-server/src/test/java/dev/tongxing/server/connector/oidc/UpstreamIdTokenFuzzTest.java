package dev.tongxing.server.connector.oidc;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.util.Set;

/**
 * Coverage-guided fuzzing (Jazzer) of an upstream provider's ID token on its way in: any bytes as the token, and any
 * bytes as the claims of a token properly signed by the provider's key, end in claims or in the documented refusals
 * ({@link ParseException} for no JWT, {@link BadJOSEException}/{@link JOSEException} for a bad one), nothing else.
 */
class UpstreamIdTokenFuzzTest {

	static final String ISSUER = "https://upstream.example.com";

	static final RSAKey KEY = key();

	static final IdTokenVerifier VERIFIER = new IdTokenVerifier(ISSUER, "tongxing", Set.of(JWSAlgorithm.RS256),
			new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())));

	static RSAKey key() {
		try {
			return new RSAKeyGenerator(2048).keyID("upstream-1").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	@FuzzTest(maxDuration = "10s")
	void anyTokenIsClaimsOrARefusal(byte[] token) {
		verify(new String(token, StandardCharsets.UTF_8));
	}

	@FuzzTest(maxDuration = "10s")
	void anySignedClaimsAreClaimsOrARefusal(byte[] claims) throws JOSEException {
		JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("upstream-1").build(),
				new Payload(claims));
		jws.sign(new RSASSASigner(KEY));
		verify(jws.serialize());
	}

	private static void verify(String token) {
		try {
			VERIFIER.verify(JWTParser.parse(token), new Nonce("n-0S6_WzA2Mj"));
		}
		catch (ParseException | BadJOSEException | JOSEException documented) {
			// refused, as it should be
		}
	}

}
