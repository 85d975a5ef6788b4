package dev.tongxing.server.events;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.server.oidc.keys.SigningKeys;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;

/**
 * Signs queued tokens with the gateway's active signing key (RS256, published at the JWKS endpoint), at
 * each delivery attempt. A Security Event Token's claims are signed exactly as queued (RS256 signatures are
 * deterministic: a redelivery with the same key sends the very same token). A logout token is a short-lived
 * command, so its {@code iat} and {@code exp} are set afresh at each attempt; its {@code jti} never changes.
 */
@Component
class TokenSigner {

	static final JOSEObjectType SECEVENT = new JOSEObjectType("secevent+jwt");

	static final JOSEObjectType LOGOUT = new JOSEObjectType("logout+jwt");

	private final SigningKeys keys;

	private final Clock clock;

	TokenSigner(SigningKeys keys, Clock clock) {
		this.keys = keys;
		this.clock = clock;
	}

	String sign(String kind, String claimsJson, Duration logoutTokenTtl) {
		String payload = claimsJson;
		JOSEObjectType type = SECEVENT;
		if (Outbox.LOGOUT.equals(kind)) {
			type = LOGOUT;
			Map<String, Object> claims = new LinkedHashMap<>(parse(claimsJson));
			long now = this.clock.instant().getEpochSecond();
			claims.put("iat", now);
			claims.put("exp", now + logoutTokenTtl.toSeconds());
			payload = JSONObjectUtils.toJSONString(claims);
		}
		JWK key = activeKey();
		JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(type).keyID(key.getKeyID()).build(),
				new Payload(payload));
		try {
			jws.sign(new RSASSASigner(key.toRSAKey()));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not sign a security event", ex);
		}
		return jws.serialize();
	}

	private JWK activeKey() {
		List<JWK> found = this.keys.get(new JWKSelector(new JWKMatcher.Builder().privateOnly(true)
			.keyType(com.nimbusds.jose.jwk.KeyType.RSA)
			.build()), null);
		if (found.isEmpty()) {
			throw new IllegalStateException("No active signing key");
		}
		return found.get(0);
	}

	static Map<String, Object> parse(String json) {
		try {
			return JSONObjectUtils.parse(json);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("A queued event's claims are corrupt", ex);
		}
	}

}
