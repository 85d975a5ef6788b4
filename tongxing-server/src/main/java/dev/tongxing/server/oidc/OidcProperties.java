package dev.tongxing.server.oidc;

import dev.tongxing.server.oidc.client.ClientDefinition;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The provider's two keys at the root of the configuration, {@code tongxing.issuer} and {@code tongxing.clients}
 * (both public contracts, so they stay at the root). Token lifetimes bind {@code tongxing.tokens}
 * ({@link TokenProperties}), signing keys {@code tongxing.keys} ({@code oidc.keys.SigningKeyProperties}) and the
 * master key the same prefix in {@code crypto}.
 */
@ConfigurationProperties("tongxing")
public record OidcProperties(@DefaultValue("http://127.0.0.1:8080") String issuer,
		@DefaultValue List<ClientDefinition> clients) {

	public OidcProperties {
		if (issuer.endsWith("/")) {
			issuer = issuer.substring(0, issuer.length() - 1);
		}
	}

}
