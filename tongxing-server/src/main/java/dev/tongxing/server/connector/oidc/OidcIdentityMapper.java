package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps what a provider vouched for to the one external-identity type. The key is {@code issuer|sub}: OpenID
 * Connect Core §2 makes only that pair stable and unique; e-mail or phone can move between people. The
 * profile is display data: the name, the picture, and the phone number only when the provider says it
 * verified it.
 */
final class OidcIdentityMapper {

	/** Column limit of identity keys (account_identity.provider_key). */
	private static final int MAX_KEY_LENGTH = 200;

	private static final String E164 = "\\+[1-9][0-9]{6,14}";

	private OidcIdentityMapper() {
	}

	/**
	 * @param idTokenClaims the checked ID token's claims
	 * @param userInfoClaims claims from the userinfo endpoint about the same subject (they win), or empty
	 * @return the identity, or empty when the key would not fit (an absurdly long {@code sub})
	 */
	static Optional<ExternalIdentity> map(OidcUpstreamDefinition upstream, Map<String, Object> idTokenClaims,
			Map<String, Object> userInfoClaims) {
		Map<String, Object> claims = new HashMap<>(idTokenClaims);
		claims.putAll(userInfoClaims);
		String key = upstream.issuer() + "|" + idTokenClaims.get("sub");
		if (idTokenClaims.get("sub") == null || key.length() > MAX_KEY_LENGTH) {
			return Optional.empty();
		}
		Profile profile = new Profile(name(claims), string(claims, "picture"), verifiedPhone(claims));
		return Optional.of(new ExternalIdentity(upstream.method(), List.of(new IdentityKey(upstream.method(), key)),
				profile));
	}

	private static String name(Map<String, Object> claims) {
		for (String claim : new String[] { "name", "nickname", "preferred_username" }) {
			String value = string(claims, claim);
			if (value != null) {
				return value.length() <= 100 ? value : value.substring(0, 100);
			}
		}
		return null;
	}

	private static String verifiedPhone(Map<String, Object> claims) {
		String phone = string(claims, "phone_number");
		if (phone == null || !Boolean.TRUE.equals(claims.get("phone_number_verified"))) {
			return null;
		}
		String compact = phone.replaceAll("[ \\-()]", "");
		return compact.matches(E164) ? compact : null;
	}

	private static String string(Map<String, Object> claims, String name) {
		return claims.get(name) instanceof String value && !value.isBlank() ? value.strip() : null;
	}

}
