package dev.tongxing.server.oidc.client;

import java.util.List;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * One client as written under {@code tongxing.clients[*]}. The keys are the project's public
 * configuration contract.
 *
 * @param clientSecret plain text here, hashed on import; absent for a public client
 * @param tier rate-limit tier
 * @param firstParty first-party clients skip the OAuth consent screen
 * @param claims the claims the client may receive (its data-sharing whitelist); empty: all its scopes allow
 */
public record ClientDefinition(String clientId, String clientSecret, String clientName,
		@DefaultValue List<String> redirectUris, @DefaultValue List<String> postLogoutRedirectUris,
		@DefaultValue({ "openid" }) List<String> scopes,
		@DefaultValue({ "authorization_code", "refresh_token" }) List<String> grantTypes,
		@DefaultValue("C") ClientTier tier, @DefaultValue("false") boolean firstParty,
		@DefaultValue List<String> claims) {

	public boolean isPublic() {
		return clientSecret == null || clientSecret.isBlank();
	}

}
