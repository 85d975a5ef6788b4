package dev.tongxing.server.branding;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The client key {@code tongxing.clients[*].branding.*}, read beside the OIDC client keys: a first-party client's
 * own look on the sign-in pages of its authorization requests. {@code first-party} is read to refuse it for
 * anyone else's app (people must see whose page they are on).
 */
@ConfigurationProperties("tongxing")
public record BrandingClientSettings(@DefaultValue List<Client> clients) {

	public record Client(String clientId, Boolean firstParty, Look branding) {
	}

}
