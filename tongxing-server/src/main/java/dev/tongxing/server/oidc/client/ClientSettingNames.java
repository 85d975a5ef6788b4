package dev.tongxing.server.oidc.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Tongxing's own entries in a registered client's settings, and typed access to them. */
public final class ClientSettingNames {

	public static final String TIER = "settings.client.tongxing.tier";

	public static final String FIRST_PARTY = "settings.client.tongxing.first-party";

	private ClientSettingNames() {
	}

	public static ClientTier tier(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(TIER);
		return value == null ? ClientTier.C : ClientTier.valueOf(value.toString());
	}

	public static boolean firstParty(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(FIRST_PARTY));
	}

}
