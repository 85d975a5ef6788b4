package dev.tongxing.server.mtls;

import dev.tongxing.server.web.ProxyProperties;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Where client certificates come from: the gateway's own HTTPS connector on {@code tongxing.mtls.port}, which asks
 * every client for one ({@code clientAuth=want}: a client without one is served as on any port), and a trusted
 * proxy's header ({@link ForwardedClientCertificates}). The connector serves the same application as the main port;
 * discovery points clients at it through {@code mtls_endpoint_aliases}.
 */
@Configuration(proxyBeanMethods = false)
class MtlsConfig {

	private static final Logger log = LoggerFactory.getLogger(MtlsConfig.class);

	@Bean
	ClientCertificateTrust clientCertificateTrust(MtlsProperties properties, Clock clock) {
		List<String> problems = properties.problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid tongxing.mtls configuration:\n  - " + String.join("\n  - ", problems));
		}
		return MtlsProperties.hasText(properties.clientCa())
				? ClientCertificateTrust.fromPem(Path.of(properties.clientCa()), () -> Date.from(clock.instant()))
				: ClientCertificateTrust.none();
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> mtlsConnector(MtlsProperties properties) {
		return factory -> {
			if (properties.port() == null) {
				return;
			}
			Connector connector = new Connector(Http11NioProtocol.class.getName());
			connector.setPort(properties.port());
			connector.setScheme("https");
			connector.setSecure(true);
			Http11NioProtocol protocol = (Http11NioProtocol) connector.getProtocolHandler();
			protocol.setSSLEnabled(true);
			SSLHostConfig ssl = new SSLHostConfig();
			ssl.setProtocols("TLSv1.2+TLSv1.3");
			// "optional": ask for a certificate, serve the request without one; which certificate is good is for the
			// token endpoint to say, per client (AnyClientCertificate)
			ssl.setCertificateVerification("optional");
			ssl.setTrustManagerClassName(AnyClientCertificate.class.getName());
			SSLHostConfigCertificate certificate = new SSLHostConfigCertificate(ssl, SSLHostConfigCertificate.Type.UNDEFINED);
			certificate.setCertificateFile(properties.certificate());
			certificate.setCertificateKeyFile(properties.privateKey());
			ssl.addCertificate(certificate);
			protocol.addSslHostConfig(ssl);
			factory.addAdditionalConnectors(connector);
			log.info("Mutual-TLS connector on port {} (client certificates requested, not required)", properties.port());
		};
	}

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> forwardedClientCertificates(MtlsProperties properties,
			ProxyProperties proxies) {
		return factory -> {
			if (!MtlsProperties.hasText(properties.clientCertificateHeader())) {
				return;
			}
			if (proxies.trustedProxies().isEmpty()) {
				log.warn("tongxing.mtls.client-certificate-header is set but tongxing.proxy.trusted-proxies is empty: "
						+ "the header is believed from nobody");
			}
			factory.addEngineValves(new ForwardedClientCertificates(properties.clientCertificateHeader(),
					proxies.cidrList()));
		};
	}

}
