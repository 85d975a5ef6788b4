package dev.tongxing.server.connector.oidc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The ID-token checks, against a locally made key set: every claim that binds the token to this login. */
class IdTokenVerifierTest {

	static final String ISSUER = "https://sso.example.com";

	static final String CLIENT = "tongxing";

	static final Nonce NONCE = new Nonce("n-0S6_WzA2Mj");

	static RSAKey key;

	static IdTokenVerifier verifier;

	@BeforeAll
	static void keys() throws Exception {
		key = new RSAKeyGenerator(2048).keyID("k1").generate();
		verifier = new IdTokenVerifier(ISSUER, CLIENT, Set.of(JWSAlgorithm.RS256),
				new ImmutableJWKSet<>(new JWKSet(key.toPublicJWK())));
	}

	static JWTClaimsSet claims(UnaryOperator<JWTClaimsSet.Builder> change) {
		long now = System.currentTimeMillis();
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(ISSUER)
			.subject("alice")
			.audience(CLIENT)
			.issueTime(new Date(now))
			.expirationTime(new Date(now + 300_000))
			.claim("nonce", NONCE.getValue());
		return change.apply(claims).build();
	}

	static SignedJWT signed(RSAKey with, JWTClaimsSet claims) throws Exception {
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(with.getKeyID()).build(), claims);
		jwt.sign(new RSASSASigner(with));
		return jwt;
	}

	@Test
	void acceptsATokenMadeForThisLogin() throws Exception {
		var verified = verifier.verify(signed(key, claims(c -> c)), NONCE);
		assertThat(verified.getSubject().getValue()).isEqualTo("alice");
	}

	@Test
	void refusesAnotherLoginsNonce() throws Exception {
		assertThatThrownBy(() -> verifier.verify(signed(key, claims(c -> c)), new Nonce("someone-else")))
			.isInstanceOf(BadJOSEException.class);
		assertThatThrownBy(() -> verifier.verify(signed(key, claims(c -> c.claim("nonce", null))), NONCE))
			.isInstanceOf(BadJOSEException.class);
	}

	@Test
	void refusesATokenForAnotherClient() throws Exception {
		assertThatThrownBy(() -> verifier.verify(signed(key, claims(c -> c.audience("another-app"))), NONCE))
			.isInstanceOf(BadJOSEException.class);
	}

	@Test
	void refusesATokenFromAnotherIssuer() throws Exception {
		assertThatThrownBy(() -> verifier.verify(signed(key, claims(c -> c.issuer("https://evil.example"))), NONCE))
			.isInstanceOf(BadJOSEException.class);
	}

	@Test
	void refusesAnExpiredToken() throws Exception {
		long hourAgo = System.currentTimeMillis() - 3_600_000;
		assertThatThrownBy(() -> verifier.verify(signed(key,
				claims(c -> c.issueTime(new Date(hourAgo)).expirationTime(new Date(hourAgo + 300_000)))), NONCE))
			.isInstanceOf(BadJOSEException.class);
	}

	@Test
	void refusesForeignKeysUnsignedTokensAndHmac() throws Exception {
		RSAKey other = new RSAKeyGenerator(2048).keyID("k1").generate();
		assertThatThrownBy(() -> verifier.verify(signed(other, claims(c -> c)), NONCE))
			.isInstanceOf(BadJOSEException.class);
		assertThatThrownBy(() -> verifier.verify(new PlainJWT(claims(c -> c)), NONCE))
			.isInstanceOf(BadJOSEException.class);
		SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims(c -> c));
		hmac.sign(new MACSigner("a-client-secret-of-at-least-32-bytes!!"));
		assertThatThrownBy(() -> verifier.verify(hmac, NONCE)).isInstanceOf(BadJOSEException.class);
	}

	@Test
	void acceptsOnlyAsymmetricAlgorithmsTheProviderAdvertises() {
		assertThat(IdTokenVerifier.acceptedAlgorithms(null)).containsExactly(JWSAlgorithm.RS256);
		assertThat(IdTokenVerifier.acceptedAlgorithms(List.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256)))
			.containsExactly(JWSAlgorithm.ES256);
		assertThat(IdTokenVerifier.acceptedAlgorithms(List.of(JWSAlgorithm.HS256))).containsExactly(JWSAlgorithm.RS256);
	}

}
