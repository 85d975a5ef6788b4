package dev.tongxing.server.events;

import dev.tongxing.server.crypto.MasterKeyCipher;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import java.util.Optional;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

/** Where a client receives security events and logout tokens, as its registration says. */
@Component
class Receivers {

	/**
	 * @param eventsEndpoint the RFC 8935 push endpoint, or null
	 * @param region where the client's receivers are
	 * @param sealedAuthorization the {@code Authorization} header the event receiver expects, encrypted; or null
	 * @param logoutUri the back-channel logout URI, or null
	 */
	record Receiver(String clientId, String eventsEndpoint, String region, String sealedAuthorization, String logoutUri,
			boolean logoutSessionRequired) {

		String endpoint(String kind) {
			return Outbox.LOGOUT.equals(kind) ? this.logoutUri : this.eventsEndpoint;
		}

	}

	private final RegisteredClientRepository clients;

	private final MasterKeyCipher cipher;

	Receivers(RegisteredClientRepository clients, MasterKeyCipher cipher) {
		this.clients = clients;
		this.cipher = cipher;
	}

	Optional<Receiver> find(String clientId) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			return Optional.empty();
		}
		var settings = client.getClientSettings();
		Object region = settings.getSetting(ClientSettingNames.EVENTS_REGION);
		Object sealed = settings.getSetting(ClientSettingNames.EVENTS_AUTHORIZATION);
		return Optional.of(new Receiver(clientId, string(settings.getSetting(ClientSettingNames.EVENTS_ENDPOINT)),
				region == null ? "cn" : region.toString(), string(sealed),
				string(settings.getSetting(ClientSettingNames.BACKCHANNEL_LOGOUT_URI)),
				Boolean.TRUE.equals(settings.getSetting(ClientSettingNames.BACKCHANNEL_LOGOUT_SESSION_REQUIRED))));
	}

	/** The header value to send with an event, decrypted only when it is about to be sent. */
	String authorization(Receiver receiver) {
		return receiver.sealedAuthorization() == null ? null : this.cipher.decrypt(receiver.sealedAuthorization());
	}

	private static String string(Object value) {
		return value == null || value.toString().isBlank() ? null : value.toString();
	}

}
