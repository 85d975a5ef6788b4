package dev.tongxing.bench;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.Ed25519Signer;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.OctetKeyPairGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The baseline: how many access tokens of one algorithm this JVM can sign when signing is all it does. Each
 * operation is what the token path cannot avoid: build a claims set like the gateway's (a fresh {@code jti},
 * {@code iat}, {@code nbf}, {@code exp}; the other claims and the header copied from a real token of the
 * gateway, so the signing input has the same size), sign it with the Nimbus signer of the algorithm — 
 * {@link RSASSASigner} (RS256, the signer Spring Security's {@code NimbusJwtEncoder} uses, an RSA key of the
 * gateway's modulus length), {@link ECDSASigner} (ES256, P-256) or {@link Ed25519Signer} (EdDSA, Ed25519;
 * Nimbus delegates it to Google Tink) — and serialize the compact JWT.
 * <p>
 * A hand-rolled timed loop (not JMH, so it runs inside the same JVM and the same run as the gateway): one
 * operation costs about a millisecond, so loop and clock overheads are negligible, the result string is
 * consumed into a checksum so the JIT cannot drop the work, and the window is closed by time with a bound
 * on the count.
 */
final class RawSigner {

	private static final long MAX_OPS_PER_THREAD = 10_000_000;

	/** {@code cpuNanos}: CPU time of the signing threads (user + system), summed; -1 if unavailable. */
	record Rate(int threads, long operations, Duration elapsed, long cpuNanos) {

		double perSecond() {
			return this.operations / (this.elapsed.toNanos() / 1e9);
		}

		double cpuMicrosPerOperation() {
			return this.cpuNanos < 0 || this.operations == 0 ? Double.NaN : this.cpuNanos / 1e3 / this.operations;
		}

	}

	private final JWSAlgorithm algorithm;

	private final int keyBits;

	private final JWSSigner signer;

	private final com.nimbusds.jose.JWSVerifier verifier;

	private final JWSHeader header;

	private final JWTClaimsSet template;

	private final Duration lifetime;

	private volatile long checksum;

	/** An RS256 signer with a fresh key of {@code modulusBits}. */
	RawSigner(int modulusBits, JWSHeader header, JWTClaimsSet template) {
		this(JWSAlgorithm.RS256, modulusBits, header, template);
	}

	/**
	 * A signer of {@code algorithm} (RS256, ES256 or EdDSA) with a fresh key; {@code keyBits} is the RSA
	 * modulus length (ignored for the curves). {@code header} and {@code template} come from a real token of
	 * the gateway when there is one; {@link #header} makes one when there is not.
	 */
	RawSigner(JWSAlgorithm algorithm, int keyBits, JWSHeader header, JWTClaimsSet template) {
		this.algorithm = algorithm;
		String kid = header.getKeyID() != null ? header.getKeyID() : UUID.randomUUID().toString();
		try {
			if (JWSAlgorithm.RS256.equals(algorithm)) {
				com.nimbusds.jose.jwk.RSAKey key = new RSAKeyGenerator(keyBits).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(kid)
					.generate();
				this.signer = new RSASSASigner(key);
				this.verifier = new com.nimbusds.jose.crypto.RSASSAVerifier(key);
				this.keyBits = keyBits;
			}
			else if (JWSAlgorithm.ES256.equals(algorithm)) {
				com.nimbusds.jose.jwk.ECKey key = new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(kid)
					.generate();
				this.signer = new ECDSASigner(key);
				this.verifier = new com.nimbusds.jose.crypto.ECDSAVerifier(key);
				this.keyBits = 256;
			}
			else if (JWSAlgorithm.EdDSA.equals(algorithm) || JWSAlgorithm.Ed25519.equals(algorithm)) {
				com.nimbusds.jose.jwk.OctetKeyPair key = new OctetKeyPairGenerator(Curve.Ed25519).keyUse(KeyUse.SIGNATURE)
					.algorithm(algorithm)
					.keyID(kid)
					.generate();
				this.signer = new Ed25519Signer(key);
				this.verifier = new com.nimbusds.jose.crypto.Ed25519Verifier(key.toPublicJWK());
				this.keyBits = 256;
			}
			else {
				throw new IllegalArgumentException("No raw signer for " + algorithm);
			}
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		if (!algorithm.equals(header.getAlgorithm())) {
			throw new IllegalArgumentException("Header " + header.getAlgorithm() + " for a " + algorithm + " signer");
		}
		this.header = header;
		this.template = template;
		Date iat = template.getIssueTime();
		Date exp = template.getExpirationTime();
		this.lifetime = (iat != null && exp != null) ? Duration.between(iat.toInstant(), exp.toInstant())
				: Duration.ofHours(2);
	}

	/** An access-token header like the gateway's ({@code alg}, {@code kid}, {@code typ: at+jwt}), for {@code algorithm}. */
	static JWSHeader header(JWSAlgorithm algorithm, JWSHeader like) {
		return new JWSHeader.Builder(algorithm).type(like.getType() != null ? like.getType() : new JOSEObjectType("at+jwt"))
			.keyID(like.getKeyID())
			.build();
	}

	/** Verifies what this signer signed (tests). */
	com.nimbusds.jose.JWSVerifier verifier() {
		return this.verifier;
	}

	JWSAlgorithm algorithm() {
		return this.algorithm;
	}

	/** RSA modulus length, or the curve's size. */
	int keyBits() {
		return this.keyBits;
	}

	/** One token: what the gateway's {@code JwtGenerator} + {@code NimbusJwtEncoder} do besides bookkeeping. */
	String signOne() throws JOSEException {
		long nowMillis = System.currentTimeMillis();
		Date now = new Date(nowMillis / 1000 * 1000);
		JWTClaimsSet claims = new JWTClaimsSet.Builder(this.template).jwtID(UUID.randomUUID().toString())
			.issueTime(now)
			.notBeforeTime(now)
			.expirationTime(new Date(now.getTime() + this.lifetime.toMillis()))
			.build();
		SignedJWT jwt = new SignedJWT(this.header, claims);
		jwt.sign(this.signer);
		return jwt.serialize();
	}

	/** Signs with {@code threads} threads for {@code window} (all start together); the summed rate. */
	Rate measure(int threads, Duration window) throws InterruptedException {
		CountDownLatch ready = new CountDownLatch(threads);
		CountDownLatch go = new CountDownLatch(1);
		long[] counts = new long[threads];
		long[] finished = new long[threads];
		long[] cpu = new long[threads];
		java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
		AtomicReference<Throwable> failure = new AtomicReference<>();
		long[] startHolder = new long[1];
		List<Thread> workers = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			int index = i;
			workers.add(Thread.ofPlatform().name("bench-sign-" + i).daemon().start(() -> {
				ready.countDown();
				try {
					go.await();
					long cpuStart = mx.getCurrentThreadCpuTime();
					long deadline = startHolder[0] + window.toNanos();
					long n = 0;
					long sum = 0;
					while (n < MAX_OPS_PER_THREAD && System.nanoTime() < deadline) {
						sum += signOne().length();
						n++;
					}
					finished[index] = System.nanoTime();
					cpu[index] = cpuStart < 0 ? -1 : mx.getCurrentThreadCpuTime() - cpuStart;
					counts[index] = n;
					this.checksum += sum;
				}
				catch (Throwable ex) {
					failure.compareAndSet(null, ex);
				}
			}));
		}
		ready.await();
		startHolder[0] = System.nanoTime();
		go.countDown();
		for (Thread w : workers) {
			w.join(window.toMillis() + 60_000);
		}
		if (failure.get() != null) {
			throw new IllegalStateException("Raw signing failed", failure.get());
		}
		long total = 0;
		long cpuTotal = 0;
		long last = startHolder[0];
		for (int i = 0; i < threads; i++) {
			total += counts[i];
			last = Math.max(last, finished[i]);
			cpuTotal = (cpuTotal < 0 || cpu[i] < 0) ? -1 : cpuTotal + cpu[i];
		}
		return new Rate(threads, total, Duration.ofNanos(last - startHolder[0]), cpuTotal);
	}

	long checksum() {
		return this.checksum;
	}

}
