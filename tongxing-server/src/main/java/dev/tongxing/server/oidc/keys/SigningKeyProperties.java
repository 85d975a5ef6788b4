package dev.tongxing.server.oidc.keys;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The signing keys' settings, under {@code tongxing.keys} (beside the master key, which the {@code crypto} package
 * binds from the same prefix).
 *
 * @param rsaKeySize RSA modulus length of new signing keys (at least 2048)
 * @param refreshInterval how often a node re-reads the signing keys (rotation on another node)
 */
@ConfigurationProperties("tongxing.keys")
public record SigningKeyProperties(@DefaultValue("2048") int rsaKeySize, @DefaultValue("10s") Duration refreshInterval) {

	public SigningKeyProperties {
		if (rsaKeySize < 2048) {
			throw new IllegalArgumentException("tongxing.keys.rsa-key-size must be at least 2048");
		}
	}

}
