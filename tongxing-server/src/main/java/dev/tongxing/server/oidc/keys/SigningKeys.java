package dev.tongxing.server.oidc.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.server.oidc.TokenProperties;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's signing keys (RS256, ES256 and EdDSA, one active key of each), read from the database and held in memory as one immutable snapshot
 * so the token path never touches the database or decrypts anything. The snapshot is re-read every
 * {@code tongxing.keys.refresh-interval} (to see rotations done by other nodes), and at once when a token
 * names a key this node does not know yet.
 */
public class SigningKeys implements JWKSource<SecurityContext> {

	private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);

	/** One active key of each: RS256 signs by default, a client may register ES256 or EdDSA (Ed25519). */
	public static final List<JWSAlgorithm> ALGORITHMS = List.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256,
			JWSAlgorithm.EdDSA);

	private record Snapshot(JWKSet keys, Instant loadedAt) {
	}

	private final SigningKeyStore store;

	private final MasterKeyCipher cipher;

	private final TokenProperties tokens;

	private final SigningKeyProperties properties;

	private final Clock clock;

	/** Decrypted keys by kid: a key's private part is decrypted once per node. */
	private final Map<String, JWK> parsed = new ConcurrentHashMap<>();

	private volatile Snapshot snapshot;

	private volatile Instant lastForcedReload = Instant.EPOCH;

	SigningKeys(SigningKeyStore store, MasterKeyCipher cipher, TokenProperties tokens, SigningKeyProperties properties,
			Clock clock) {
		this.tokens = tokens;
		this.store = store;
		this.cipher = cipher;
		this.properties = properties;
		this.clock = clock;
	}

	/**
	 * Makes sure there is an active key of every algorithm (the first start of a new installation, or of a
	 * release that brought an algorithm, generates it).
	 */
	void initialize() {
		for (JWSAlgorithm algorithm : ALGORITHMS) {
			if (!this.store.anyActive(algorithm.getName())) {
				this.store.insert(generate(algorithm));
				log.info("Generated the first {} signing key", algorithm);
			}
		}
		reload();
	}

	@Override
	public List<JWK> get(JWKSelector selector, SecurityContext context) {
		Snapshot current = current();
		List<JWK> found = selector.select(current.keys());
		String wantedKid = selector.getMatcher().getKeyIDs() == null ? null
				: selector.getMatcher().getKeyIDs().stream().filter(k -> k != null).findFirst().orElse(null);
		if (found.isEmpty() && wantedKid != null && current.keys().getKeyByKeyId(wantedKid) == null) {
			// A key rotated in on another node since our last read; re-read at most once a second.
			Instant now = this.clock.instant();
			if (now.isAfter(this.lastForcedReload.plusSeconds(1))) {
				this.lastForcedReload = now;
				found = selector.select(reload().keys());
			}
		}
		return found;
	}

	/** The public keys to publish at the JWKS endpoint. */
	public JWKSet publicKeys() {
		return current().keys().toPublicJWKSet();
	}

	/**
	 * Every key's public part, retired ones long unpublished too: to check old signatures such as the
	 * audit log's checkpoints.
	 */
	public JWKSet allPublicKeys() {
		List<JWK> keys = new ArrayList<>();
		for (String publicJwk : this.store.allPublicJwks()) {
			try {
				keys.add(JWK.parse(publicJwk));
			}
			catch (ParseException ex) {
				throw new IllegalStateException("A stored public signing key is corrupt", ex);
			}
		}
		return new JWKSet(keys);
	}

	/** The active RS256 key's id (audit checkpoints and security events are signed RS256). */
	public String activeKeyId() {
		return current().keys()
			.getKeys()
			.stream()
			.filter(k -> k.isPrivate() && JWSAlgorithm.RS256.equals(k.getAlgorithm()))
			.findFirst()
			.orElseThrow()
			.getKeyID();
	}

	/**
	 * Activates a new key. The old one stops signing now and stays published until every token it signed
	 * has expired.
	 * @return the new key's id
	 */
	public String rotate() {
		Instant now = this.clock.instant();
		List<SigningKeyStore.StoredKey> next = ALGORITHMS.stream().map(this::generate).toList();
		this.store.rotate(next, now, now.plus(this.tokens.longestSignedTokenTtl()).plusSeconds(300));
		reload();
		log.info("Rotated signing keys; new keys {}", next.stream().map(SigningKeyStore.StoredKey::kid).toList());
		return next.get(0).kid();
	}

	private Snapshot current() {
		Snapshot s = this.snapshot;
		if (s == null || this.clock.instant().isAfter(s.loadedAt().plus(this.properties.refreshInterval()))) {
			s = reload();
		}
		return s;
	}

	private synchronized Snapshot reload() {
		Instant now = this.clock.instant();
		List<JWK> keys = new ArrayList<>();
		for (SigningKeyStore.StoredKey stored : this.store.publishable(now)) {
			JWK full = this.parsed.computeIfAbsent(stored.kid(), kid -> parse(stored));
			// Only active keys keep their private part: retired keys must never sign again.
			keys.add(stored.active() ? full : full.toPublicJWK());
		}
		if (keys.isEmpty()) {
			throw new IllegalStateException("No active signing key in the database");
		}
		Snapshot s = new Snapshot(new JWKSet(keys), now);
		this.snapshot = s;
		return s;
	}

	private JWK parse(SigningKeyStore.StoredKey stored) {
		try {
			return JWK.parse(this.cipher.decrypt(stored.privateJwe()));
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Signing key " + stored.kid() + " is corrupt", ex);
		}
	}

	private SigningKeyStore.StoredKey generate(JWSAlgorithm algorithm) {
		String kid = UUID.randomUUID().toString();
		try {
			JWK key;
			if (JWSAlgorithm.RS256.equals(algorithm)) {
				key = new RSAKeyGenerator(this.properties.rsaKeySize()).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(kid)
					.generate();
			}
			else if (JWSAlgorithm.ES256.equals(algorithm)) {
				key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(algorithm).keyID(kid).generate();
			}
			else {
				key = new OctetKeyPairGenerator(Curve.Ed25519).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(kid)
					.generate();
			}
			return new SigningKeyStore.StoredKey(key.getKeyID(), algorithm.getName(), key.toPublicJWK().toJSONString(),
					this.cipher.encrypt(key.toJSONString()), this.cipher.currentKeyId(), this.clock.instant(), null,
					null);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException("Could not generate a " + algorithm + " signing key", ex);
		}
	}

}
