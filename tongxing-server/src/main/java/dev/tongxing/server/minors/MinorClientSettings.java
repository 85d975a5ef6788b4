package dev.tongxing.server.minors;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The client key {@code tongxing.clients[*].adults-only}, read beside the OIDC client keys: a client that
 * serves adults only gets no tokens for a minor or a person of unknown age ({@code access_denied}).
 */
@ConfigurationProperties("tongxing")
public record MinorClientSettings(@DefaultValue List<Client> clients) {

	public record Client(String clientId, @DefaultValue("false") boolean adultsOnly) {
	}

	public boolean adultsOnly(String clientId) {
		return this.clients.stream().anyMatch(c -> c.adultsOnly() && c.clientId() != null && c.clientId().equals(clientId));
	}

	boolean anyAdultsOnly() {
		return this.clients.stream().anyMatch(Client::adultsOnly);
	}

}
