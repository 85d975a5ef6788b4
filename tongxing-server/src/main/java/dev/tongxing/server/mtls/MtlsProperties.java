package dev.tongxing.server.mtls;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705), {@code tongxing.mtls.*}. Off
 * unless a port (the gateway's own HTTPS connector that asks for client certificates) or a proxy's certificate
 * header is configured.
 *
 * @param port the HTTPS port that asks every client for a certificate (TLS {@code clientAuth=want}); none: no such
 * connector
 * @param certificate the connector's certificate chain, a PEM file (leaf first)
 * @param privateKey the connector's private key, a PEM file (PKCS #8)
 * @param clientCa the certificate authorities that issue {@code tls_client_auth} clients' certificates, a PEM file;
 * none: only {@code self_signed_tls_client_auth} is offered
 * @param baseUrl where clients reach the mTLS endpoints ({@code mtls_endpoint_aliases} in discovery); default the
 * issuer's host on {@code port}, over https
 * @param clientCertificateHeader the request header in which a TLS-terminating proxy forwards the client's
 * certificate (URL-encoded PEM, as nginx's {@code $ssl_client_escaped_cert}); believed only from
 * {@code tongxing.proxy.trusted-proxies}
 */
@ConfigurationProperties("tongxing.mtls")
public record MtlsProperties(Integer port, String certificate, String privateKey, String clientCa, String baseUrl,
		String clientCertificateHeader) {

	/** Whether certificates can reach the gateway at all, by its own connector or from a trusted proxy. */
	public boolean enabled() {
		return this.port != null || hasText(this.clientCertificateHeader);
	}

	/** The client authentication methods by certificate this deployment can serve. */
	public List<String> methods() {
		List<String> methods = new ArrayList<>();
		if (enabled() && hasText(this.clientCa)) {
			methods.add("tls_client_auth");
		}
		if (enabled()) {
			methods.add("self_signed_tls_client_auth");
		}
		return methods;
	}

	/**
	 * The base URL of the endpoint aliases, or null when the mTLS endpoints are the ordinary ones (certificates come
	 * only from a proxy in front of the ordinary URL, and no {@code base-url} is set).
	 */
	public String aliasBase(String issuer) {
		if (hasText(this.baseUrl)) {
			return this.baseUrl.endsWith("/") ? this.baseUrl.substring(0, this.baseUrl.length() - 1) : this.baseUrl;
		}
		if (this.port == null) {
			return null;
		}
		URI uri = URI.create(issuer);
		String host = uri.getHost().contains(":") ? "[" + uri.getHost() + "]" : uri.getHost();
		return "https://" + host + (this.port == 443 ? "" : ":" + this.port);
	}

	/** What is wrong with the settings, for the start-up check. */
	public List<String> problems() {
		List<String> problems = new ArrayList<>();
		if (this.port != null && (this.port < 0 || this.port > 65535)) {
			problems.add("tongxing.mtls.port must be a TCP port (0-65535)");
		}
		if (this.port != null && (!hasText(this.certificate) || !hasText(this.privateKey))) {
			problems.add("tongxing.mtls.port needs tongxing.mtls.certificate and tongxing.mtls.private-key (PEM files)");
		}
		if (hasText(this.baseUrl) && !this.baseUrl.startsWith("https://")) {
			problems.add("tongxing.mtls.base-url must be an https URL");
		}
		if (hasText(this.clientCertificateHeader) && !this.clientCertificateHeader.matches("[A-Za-z0-9-]{1,64}")) {
			problems.add("tongxing.mtls.client-certificate-header must be a header name");
		}
		return problems;
	}

	static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

}
