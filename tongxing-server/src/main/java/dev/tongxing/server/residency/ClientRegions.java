package dev.tongxing.server.residency;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where each client under {@code tongxing.clients[*]} processes the personal data it receives, read beside the
 * OIDC client keys: a client outside {@code tongxing.residency.allowed-regions} receives data abroad (PIPL
 * Art. 38–39).
 */
@ConfigurationProperties("tongxing")
public record ClientRegions(@DefaultValue List<Client> clients) {

	/**
	 * @param dataRegion where the client processes the data (lower case, e.g. {@code cn}, {@code sg})
	 * @param crossBorderMechanism its legal basis when that is outside the allowed regions:
	 * {@code standard-contract}, {@code certification} or {@code security-assessment} (PIPL Art. 38)
	 * @param company and {@code contact}: the overseas recipient as the person is told (the same keys as the
	 * third-party list's)
	 */
	public record Client(String clientId, @DefaultValue("cn") String dataRegion, String crossBorderMechanism,
			String company, String contact, @DefaultValue("false") boolean firstParty) {
	}

}
