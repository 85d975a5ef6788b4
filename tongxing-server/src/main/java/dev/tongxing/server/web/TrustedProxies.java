package dev.tongxing.server.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.catalina.valves.RemoteIpValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Running behind a reverse proxy. Tomcat's {@link RemoteIpValve} replaces the request's remote address,
 * scheme and host by what {@code X-Forwarded-*} say, but only when the TCP peer is a configured proxy
 * ({@code tongxing.proxy.trusted-proxies}); it reads {@code X-Forwarded-For} from the right, skipping
 * trusted proxies, so a client cannot put a fake address in front of the one the proxy appended.
 * <p>
 * After it, {@code HttpServletRequest.getRemoteAddr()} is the person's address everywhere (audit, send
 * limits, rate limits): that is the one place code reads the client address from. The RFC 7239
 * {@code Forwarded} header is never read. The issuer is configuration ({@code tongxing.issuer}) and never
 * follows a header. Spring Boot's own {@code server.forward-headers-strategy} stays {@code none}: its
 * default would trust every private address (and it switches itself on under Kubernetes).
 */
@Configuration(proxyBeanMethods = false)
class TrustedProxies {

	@Bean
	WebServerFactoryCustomizer<TomcatServletWebServerFactory> trustedProxyValve(ProxyProperties proxies) {
		String internalProxies = cidrs(proxies.trustedProxies());
		return factory -> {
			if (internalProxies.isEmpty()) {
				return;
			}
			RemoteIpValve valve = new RemoteIpValve();
			valve.setInternalProxies(internalProxies); // a value with '/' is a CIDR list for Tomcat, not a regex
			valve.setTrustedProxies(null);
			valve.setRemoteIpHeader("X-Forwarded-For");
			valve.setProtocolHeader("X-Forwarded-Proto");
			valve.setHostHeader("X-Forwarded-Host");
			valve.setPortHeader("X-Forwarded-Port");
			factory.addEngineValves(valve);
		};
	}

	/** Addresses and CIDR blocks as Tomcat's comma-separated CIDR list; a bare address is a /32 or /128. */
	static String cidrs(List<String> entries) {
		return entries.stream().map(TrustedProxies::cidr).collect(Collectors.joining(","));
	}

	private static String cidr(String entry) {
		int slash = entry.indexOf('/');
		String address = slash < 0 ? entry : entry.substring(0, slash);
		if (!address.matches("[0-9a-fA-F:.]+")) { // literals only: a host name would mean a DNS lookup
			throw new IllegalArgumentException(
					"tongxing.proxy.trusted-proxies: '" + entry + "' is not an IP address or CIDR block");
		}
		int bits;
		try {
			bits = InetAddress.getByName(address).getAddress().length * 8;
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException(
					"tongxing.proxy.trusted-proxies: '" + entry + "' is not an IP address or CIDR block", ex);
		}
		if (slash < 0) {
			return address + "/" + bits;
		}
		String prefix = entry.substring(slash + 1);
		if (!prefix.matches("\\d{1,3}") || Integer.parseInt(prefix) > bits) {
			throw new IllegalArgumentException(
					"tongxing.proxy.trusted-proxies: '" + entry + "' has a bad prefix length");
		}
		return entry;
	}

}
