package dev.tongxing.server.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The reverse proxies in front of the gateway ({@code tongxing.proxy.*}). Only a request whose TCP peer is
 * one of {@code trusted-proxies} (addresses or CIDR blocks) has its {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto}, {@code X-Forwarded-Host} and {@code X-Forwarded-Port} believed; from anyone else
 * they are ignored. Empty (the default): no forwarded header is believed at all.
 */
@ConfigurationProperties("tongxing.proxy")
public record ProxyProperties(@DefaultValue List<String> trustedProxies) {

	public ProxyProperties {
		trustedProxies = trustedProxies == null ? List.of()
				: trustedProxies.stream().map(String::strip).filter(s -> !s.isEmpty()).toList();
	}

	/** The trusted proxies as CIDR blocks (a bare address as a /32 or /128), e.g. for a Tomcat valve. */
	public List<String> cidrList() {
		return this.trustedProxies.isEmpty() ? List.of()
				: List.of(TrustedProxies.cidrs(this.trustedProxies).split(","));
	}

}
