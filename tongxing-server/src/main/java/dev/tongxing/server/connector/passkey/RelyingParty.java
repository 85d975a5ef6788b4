package dev.tongxing.server.connector.passkey;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * The WebAuthn relying party the issuer stands for: its id is the issuer's host, its only origin the issuer's
 * scheme, host and port. Empty when the issuer cannot carry passkeys (an IP address is no RP id).
 */
record RelyingParty(String id, String origin) {

	static Optional<RelyingParty> of(String issuer) {
		URI uri = URI.create(issuer);
		String host = uri.getHost();
		if (host == null || host.startsWith("[") || host.matches("[0-9.]+")) {
			return Optional.empty();
		}
		host = host.toLowerCase(Locale.ROOT);
		String origin = uri.getScheme() + "://" + host + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
		return Optional.of(new RelyingParty(host, origin));
	}

}
