package dev.tongxing.server.connector.passkey;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Passkeys ({@code tongxing.passkeys.*}). The relying party id and the one accepted origin come from
 * {@code tongxing.issuer}: a passkey is bound to the issuer's host name, so changing that host leaves every
 * passkey behind (people sign in another way and add a new one).
 *
 * @param enabled whether people may add passkeys and sign in with them (also needs an issuer whose host is a
 * domain name: browsers refuse WebAuthn on an IP address)
 * @param rpName the name authenticators show beside a passkey
 */
@ConfigurationProperties("tongxing.passkeys")
public record PasskeyProperties(@DefaultValue("true") boolean enabled, @DefaultValue("Tongxing") String rpName) {

	public PasskeyProperties {
		if (rpName == null || rpName.isBlank() || rpName.length() > 64) {
			throw new IllegalArgumentException("tongxing.passkeys.rp-name must be 1 to 64 characters");
		}
	}

}
