package dev.tongxing.server.oidc.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.security.oauth2.jose.jws.JwsAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtEncodingException;

/**
 * Signs JWTs with the active key of the algorithm the header names — RS256, ES256 or EdDSA (Ed25519) —
 * through Nimbus's signers. Spring Security's {@code NimbusJwtEncoder} does the same for RSA and EC keys but
 * cannot select an Ed25519 key; claims are converted the way it converts them.
 */
public final class SigningKeysJwtEncoder implements JwtEncoder {

	/** Spring Security names no EdDSA algorithm; its headers take any {@link JwsAlgorithm} by name. */
	public static final JwsAlgorithm EDDSA = () -> JWSAlgorithm.EdDSA.getName();

	private final SigningKeys keys;

	private final DefaultJWSSignerFactory signerFactory = new DefaultJWSSignerFactory();

	/** Signers by key: building an RSA signer parses the private key. */
	private final Map<String, JWSSigner> signers = new ConcurrentHashMap<>();

	public SigningKeysJwtEncoder(SigningKeys keys) {
		this.keys = keys;
	}

	/** The header algorithm for a JWS algorithm name ({@code RS256}, {@code ES256}, {@code EdDSA}). */
	public static JwsAlgorithm algorithm(String name) {
		if (JWSAlgorithm.EdDSA.getName().equals(name)) {
			return EDDSA;
		}
		JwsAlgorithm known = org.springframework.security.oauth2.jose.jws.SignatureAlgorithm.from(name);
		if (known == null) {
			throw new IllegalArgumentException("Unsupported signing algorithm " + name);
		}
		return known;
	}

	@Override
	public Jwt encode(JwtEncoderParameters parameters) throws JwtEncodingException {
		JwsHeader headers = parameters.getJwsHeader();
		if (headers == null) {
			throw new JwtEncodingException("A JWS header naming the algorithm is required");
		}
		JWSAlgorithm algorithm = JWSAlgorithm.parse(headers.getAlgorithm().getName());
		JWK key = activeKey(algorithm);
		JWSHeader.Builder header = new JWSHeader.Builder(algorithm).keyID(key.getKeyID());
		if (headers.getType() != null) {
			header.type(new JOSEObjectType(headers.getType()));
		}
		JwtClaimsSet claims = parameters.getClaims();
		SignedJWT jwt = new SignedJWT(header.build(), convert(claims));
		try {
			jwt.sign(this.signers.computeIfAbsent(key.getKeyID(), kid -> signer(key, algorithm)));
		}
		catch (JOSEException ex) {
			throw new JwtEncodingException("Could not sign the JWT with key " + key.getKeyID(), ex);
		}
		Map<String, Object> headerMap = new LinkedHashMap<>(headers.getHeaders());
		headerMap.put("kid", key.getKeyID());
		return new Jwt(jwt.serialize(), claims.getIssuedAt(), claims.getExpiresAt(), headerMap, claims.getClaims());
	}

	private JWK activeKey(JWSAlgorithm algorithm) {
		List<JWK> found = this.keys.get(new JWKSelector(new JWKMatcher.Builder().privateOnly(true)
			.keyType(KeyType.forAlgorithm(algorithm))
			.algorithms(algorithm, null)
			.build()), null);
		if (found.isEmpty()) {
			throw new JwtEncodingException("No active " + algorithm + " signing key");
		}
		return found.get(0);
	}

	private JWSSigner signer(JWK key, JWSAlgorithm algorithm) {
		try {
			return this.signerFactory.createJWSSigner(key, algorithm);
		}
		catch (JOSEException ex) {
			throw new JwtEncodingException("No signer for key " + key.getKeyID() + " (" + algorithm + ")", ex);
		}
	}

	private static JWTClaimsSet convert(JwtClaimsSet claims) {
		JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
		Object issuer = claims.getClaim(JwtClaimNames.ISS);
		if (issuer != null) {
			builder.issuer(issuer.toString());
		}
		if (claims.getSubject() != null && !claims.getSubject().isEmpty()) {
			builder.subject(claims.getSubject());
		}
		if (claims.getAudience() != null && !claims.getAudience().isEmpty()) {
			builder.audience(claims.getAudience());
		}
		builder.expirationTime(date(claims.getExpiresAt()))
			.notBeforeTime(date(claims.getNotBefore()))
			.issueTime(date(claims.getIssuedAt()));
		if (claims.getId() != null && !claims.getId().isEmpty()) {
			builder.jwtID(claims.getId());
		}
		claims.getClaims().forEach((name, value) -> {
			if (!JWTClaimsSet.getRegisteredNames().contains(name)) {
				builder.claim(name, value);
			}
		});
		return builder.build();
	}

	private static Date date(Instant instant) {
		return instant == null ? null : Date.from(instant);
	}

}
