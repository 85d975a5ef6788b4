package dev.tongxing.server.privacy;

import java.util.List;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The business identity of each client under {@code tongxing.clients[*]}, read beside the OIDC client keys:
 * the company that runs it, how to reach it and what it uses the data for (the third-party list, PIPL Art. 23).
 */
@ConfigurationProperties("tongxing")
public record ClientParties(@DefaultValue List<Party> clients) {

	/**
	 * @param company the legal entity running the client
	 * @param contact how to reach it about personal information
	 * @param purposes what it uses the data for, in plain words
	 */
	public record Party(String clientId, String company, String contact, @DefaultValue List<String> purposes) {
	}

	public Optional<Party> of(String clientId) {
		return this.clients.stream().filter(c -> clientId.equals(c.clientId())).findFirst();
	}

}
