package dev.tongxing.server.mtls;

import jakarta.servlet.ServletException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.util.NetMask;
import org.apache.catalina.valves.ValveBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client certificate a TLS-terminating proxy forwards in a header ({@code tongxing.mtls.client-certificate-header},
 * URL-encoded PEM as nginx's {@code $ssl_client_escaped_cert}), believed only when the TCP peer — the connection's own
 * address, which {@code X-Forwarded-For} cannot change — is one of {@code tongxing.proxy.trusted-proxies}. It becomes
 * the request's {@code jakarta.servlet.request.X509Certificate}, as if the client had presented it to the gateway.
 * From anyone else the header is ignored. (Tomcat's own {@code SSLValve} trusts every sender and logs a stack trace
 * for a malformed certificate.)
 */
final class ForwardedClientCertificates extends ValveBase {

	static final String ATTRIBUTE = "jakarta.servlet.request.X509Certificate";

	private static final Logger log = LoggerFactory.getLogger(ForwardedClientCertificates.class);

	/** Far above any real certificate chain, far below Tomcat's header limit. */
	private static final int MAX_LENGTH = 16 * 1024;

	private final String header;

	private final List<NetMask> proxies;

	ForwardedClientCertificates(String header, List<String> proxyCidrs) {
		super(true);
		this.header = header;
		this.proxies = proxyCidrs.stream().map(NetMask::new).toList();
	}

	@Override
	public void invoke(Request request, Response response) throws IOException, ServletException {
		String value = request.getHeader(this.header);
		if (value != null && !value.isBlank() && trusted(request.getPeerAddr())) {
			X509Certificate[] chain = parse(value);
			if (chain != null) {
				request.setAttribute(ATTRIBUTE, chain);
			}
			else {
				log.warn("Ignored an unreadable client certificate in {} from proxy {}", this.header, request.getPeerAddr());
			}
		}
		getNext().invoke(request, response);
	}

	private boolean trusted(String peer) {
		if (peer == null || this.proxies.isEmpty() || !peer.matches("[0-9a-fA-F:.]+")) {
			return false; // the connection's address is always a literal: no name is ever looked up
		}
		try {
			InetAddress address = InetAddress.getByName(peer);
			return this.proxies.stream().anyMatch(mask -> mask.matches(address));
		}
		catch (java.net.UnknownHostException notALiteral) {
			return false;
		}
	}

	/** @return the certificates in the header's PEM (the client's first), or null when it holds none */
	static X509Certificate[] parse(String value) {
		if (value.length() > MAX_LENGTH) {
			return null;
		}
		try {
			String pem = URLDecoder.decode(value, StandardCharsets.UTF_8);
			X509Certificate[] chain = CertificateFactory.getInstance("X.509")
				.generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
				.stream()
				.map(X509Certificate.class::cast)
				.toArray(X509Certificate[]::new);
			return chain.length == 0 ? null : chain;
		}
		catch (CertificateException | IllegalArgumentException | ClassCastException unreadable) {
			return null;
		}
	}

	@Override
	public String toString() {
		return "ForwardedClientCertificates[" + this.header + ", " + Arrays.toString(this.proxies.toArray()) + "]";
	}

}
