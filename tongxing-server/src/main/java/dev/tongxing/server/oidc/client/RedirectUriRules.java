package dev.tongxing.server.oidc.client;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * What a registered redirect URI may look like (RFC 9700 §2.1, RFC 8252): absolute, no fragment;
 * {@code https} anywhere, plain {@code http} only on a loopback IP literal, or a private-use scheme in
 * reverse-domain form for native apps.
 */
public final class RedirectUriRules {

	private RedirectUriRules() {
	}

	/** @return why the URI is not acceptable, or empty when it is */
	public static Optional<String> problem(String value) {
		URI uri;
		try {
			uri = new URI(value);
		}
		catch (URISyntaxException ex) {
			return Optional.of("'" + value + "' is not a valid URI");
		}
		if (!uri.isAbsolute()) {
			return Optional.of("'" + value + "' is not absolute");
		}
		if (uri.getRawFragment() != null) {
			return Optional.of("'" + value + "' has a fragment, which redirect URIs must not have");
		}
		String scheme = uri.getScheme().toLowerCase();
		if (scheme.equals("https")) {
			return uri.getHost() == null ? Optional.of("'" + value + "' has no host") : Optional.empty();
		}
		if (scheme.equals("http")) {
			return isLoopbackLiteral(uri.getHost()) ? Optional.empty()
					: Optional.of("'" + value + "' uses plain http on a non-loopback host; use https "
							+ "(http is only allowed on 127.0.0.1 or [::1], RFC 8252 §7.3)");
		}
		if (!scheme.contains(".")) {
			return Optional.of("'" + value + "' uses the custom scheme '" + scheme
					+ "'; native apps must use a reverse-domain scheme such as com.example.app (RFC 8252 §7.1)");
		}
		return Optional.empty();
	}

	public static boolean isLoopbackLiteral(String host) {
		if (host == null) {
			return false;
		}
		String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
		if (!h.matches("[0-9.]+") && !h.contains(":")) {
			return false; // a name such as localhost could resolve elsewhere (RFC 8252 §8.3)
		}
		try {
			return InetAddress.getByName(h).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

}
