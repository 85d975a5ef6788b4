package dev.tongxing.server.mtls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.security.cert.CertPathValidator;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Whether a {@code tls_client_auth} client's certificate chain leads to one of the certificate authorities in
 * {@code tongxing.mtls.client-ca} (the JDK's PKIX validation: signatures, validity dates, basic constraints and key
 * usage along the path; no revocation lists). The chain a client sends may or may not include the CA itself, and a
 * proxy forwards only the client's own certificate: both are fine, the anchors come from configuration.
 */
public final class ClientCertificateTrust {

	private final Set<TrustAnchor> anchors;

	private final Supplier<Date> now;

	ClientCertificateTrust(Set<TrustAnchor> anchors, Supplier<Date> now) {
		this.anchors = anchors;
		this.now = now;
	}

	/** No CA configured: no chain is trusted. */
	static ClientCertificateTrust none() {
		return new ClientCertificateTrust(Set.of(), Date::new);
	}

	static ClientCertificateTrust fromPem(Path file, Supplier<Date> now) {
		try (InputStream in = Files.newInputStream(file)) {
			Set<TrustAnchor> anchors = CertificateFactory.getInstance("X.509")
				.generateCertificates(in)
				.stream()
				.map(c -> new TrustAnchor((X509Certificate) c, null))
				.collect(Collectors.toUnmodifiableSet());
			if (anchors.isEmpty()) {
				throw new IllegalStateException("tongxing.mtls.client-ca: " + file + " holds no certificate");
			}
			return new ClientCertificateTrust(anchors, now);
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new IllegalStateException("tongxing.mtls.client-ca: cannot read " + file + ": " + ex.getMessage(), ex);
		}
	}

	/** @return whether the chain (client's certificate first) is issued by a configured CA and valid now */
	public boolean trusts(X509Certificate[] chain) {
		if (this.anchors.isEmpty() || chain == null || chain.length == 0) {
			return false;
		}
		List<X509Certificate> path = new ArrayList<>(Arrays.asList(chain));
		// a CA the client sent along is the anchor, not part of the path
		path.removeIf(c -> this.anchors.stream().anyMatch(a -> a.getTrustedCert().equals(c)));
		if (path.isEmpty()) {
			return false; // a CA certificate itself is no client's
		}
		try {
			CertPath certPath = CertificateFactory.getInstance("X.509").generateCertPath(path);
			PKIXParameters parameters = new PKIXParameters(this.anchors);
			parameters.setRevocationEnabled(false);
			parameters.setDate(this.now.get());
			CertPathValidator.getInstance("PKIX").validate(certPath, parameters);
			return true;
		}
		catch (GeneralSecurityException invalid) {
			return false;
		}
	}

}
