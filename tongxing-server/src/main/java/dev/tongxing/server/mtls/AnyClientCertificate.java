package dev.tongxing.server.mtls;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The mTLS connector's trust manager: it lets any client certificate through the handshake, because whether a
 * certificate is good depends on the client it claims to be — a CA-issued one for {@code tls_client_auth}, the key
 * the client registered for {@code self_signed_tls_client_auth} — and only the token endpoint knows that
 * ({@link ClientCertificateTrust}, Spring Authorization Server's {@code X509ClientCertificateAuthenticationProvider}).
 * A certificate proves nothing until then: nothing else reads it. It names no acceptable issuers, so a client sends
 * the certificate it has. Tomcat instantiates it by class name.
 */
public final class AnyClientCertificate extends X509ExtendedTrustManager {

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		requireCertificate(chain);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
		requireCertificate(chain);
	}

	@Override
	public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		requireCertificate(chain);
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
		throw new CertificateException("a server-side trust manager checks no servers");
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
		throw new CertificateException("a server-side trust manager checks no servers");
	}

	@Override
	public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
			throws CertificateException {
		throw new CertificateException("a server-side trust manager checks no servers");
	}

	@Override
	public X509Certificate[] getAcceptedIssuers() {
		return new X509Certificate[0];
	}

	private static void requireCertificate(X509Certificate[] chain) throws CertificateException {
		if (chain == null || chain.length == 0) {
			throw new CertificateException("no client certificate");
		}
	}

}
