package dev.tongxing.server.mtls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A certificate authority for the mutual-TLS tests, made fresh in each run: it issues the gateway's server
 * certificate (for 127.0.0.1) and clients' certificates; self-signed client certificates come without it.
 */
final class TestPki {

	/** A key and its certificate chain (own certificate first). */
	record Identity(KeyPair keys, X509Certificate... chain) {

		X509Certificate certificate() {
			return this.chain[0];
		}

		/** A TLS client that presents this identity and trusts {@code ca} for the server. */
		SSLContext sslContext(TestPki ca) {
			return ca.sslContext(this);
		}

	}

	private final Identity ca;

	TestPki(String name) {
		KeyPair keys = ecKeys();
		this.ca = new Identity(keys, certificate("CN=" + name, keys, "CN=" + name, keys, true, null));
	}

	X509Certificate caCertificate() {
		return this.ca.certificate();
	}

	/** A server certificate for the loopback address, issued by this CA. */
	Identity server() {
		KeyPair keys = ecKeys();
		return new Identity(keys, certificate("CN=127.0.0.1", keys, subject(this.ca), this.ca.keys(), false,
				KeyPurposeId.id_kp_serverAuth), this.ca.certificate());
	}

	/** A client certificate issued by this CA, sent with the CA's certificate (as most clients do). */
	Identity client(String subject) {
		KeyPair keys = ecKeys();
		return new Identity(keys, certificate(subject, keys, subject(this.ca), this.ca.keys(), false,
				KeyPurposeId.id_kp_clientAuth), this.ca.certificate());
	}

	/** A self-signed client certificate. */
	static Identity selfSigned(String subject) {
		KeyPair keys = ecKeys();
		return new Identity(keys, certificate(subject, keys, subject, keys, false, KeyPurposeId.id_kp_clientAuth));
	}

	/** A TLS client that trusts this CA's servers and presents {@code client}, or no certificate when null. */
	SSLContext sslContext(Identity client) {
		try {
			KeyStore trust = KeyStore.getInstance("PKCS12");
			trust.load(null, null);
			trust.setCertificateEntry("ca", this.ca.certificate());
			TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			tmf.init(trust);
			KeyManagerFactory kmf = null;
			if (client != null) {
				KeyStore keys = KeyStore.getInstance("PKCS12");
				keys.load(null, null);
				keys.setKeyEntry("client", client.keys().getPrivate(), "pw".toCharArray(), client.chain());
				kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
				kmf.init(keys, "pw".toCharArray());
			}
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
			return context;
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String pem(Object... objects) {
		StringWriter out = new StringWriter();
		try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
			for (Object object : objects) {
				writer.writeObject(object);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toString();
	}

	/** A private key as PKCS #8 PEM ({@code BEGIN PRIVATE KEY}), what the gateway reads. */
	static String pkcs8(java.security.PrivateKey key) {
		try {
			return pem(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(key, null));
		}
		catch (org.bouncycastle.util.io.pem.PemGenerationException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static Path write(Path directory, String name, String content) {
		try {
			return Files.writeString(directory.resolve(name), content);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String subject(Identity identity) {
		return identity.certificate().getSubjectX500Principal().getName();
	}

	private static KeyPair ecKeys() {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
			generator.initialize(new ECGenParameterSpec("secp256r1"));
			return generator.generateKeyPair();
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static X509Certificate certificate(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
			boolean ca, KeyPurposeId purpose) {
		try {
			Instant now = Instant.now();
			JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(new X500Principal(issuer),
					new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofMinutes(5))),
					Date.from(now.plus(Duration.ofDays(1))), new X500Principal(subject), subjectKeys.getPublic());
			builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
			if (ca) {
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
			}
			else {
				builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
				builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
				if (purpose == KeyPurposeId.id_kp_serverAuth) {
					builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(
							GeneralName.iPAddress, "127.0.0.1")));
				}
			}
			return new JcaX509CertificateConverter()
				.getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
