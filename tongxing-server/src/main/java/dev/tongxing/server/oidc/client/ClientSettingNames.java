package dev.tongxing.server.oidc.client;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/** Tongxing's own entries in a registered client's settings, and typed access to them. */
public final class ClientSettingNames {

	public static final String TIER = "settings.client.tongxing.tier";

	public static final String FIRST_PARTY = "settings.client.tongxing.first-party";

	/** Whether every OpenID request must carry a nonce (absent on clients stored before: then when PKCE is off). */
	public static final String REQUIRE_NONCE = "settings.client.tongxing.require-nonce";

	/** The claims the client may receive, space-separated; absent means every claim its scopes allow. */
	public static final String CLAIMS = "settings.client.tongxing.claims";

	/** Where the client receives Security Event Tokens (RFC 8935 push). */
	public static final String EVENTS_ENDPOINT = "settings.client.tongxing.events-endpoint";

	/** The region of the client's event and logout receivers (data residency). */
	public static final String EVENTS_REGION = "settings.client.tongxing.events-region";

	/** The {@code Authorization} header the event receiver expects, encrypted under the master key. */
	public static final String EVENTS_AUTHORIZATION = "settings.client.tongxing.events-authorization";

	/** OpenID Connect Back-Channel Logout 1.0 client metadata. */
	public static final String BACKCHANNEL_LOGOUT_URI = "settings.client.tongxing.backchannel-logout-uri";

	public static final String BACKCHANNEL_LOGOUT_SESSION_REQUIRED = "settings.client.tongxing.backchannel-logout-session-required";

	/** The JWS algorithm of the client's access tokens ({@code RS256}, {@code ES256}, {@code EdDSA}). */
	public static final String ACCESS_TOKEN_SIGNING_ALG = "settings.client.tongxing.access-token-signing-alg";

	/** The JWS algorithm of the client's ID tokens (OIDC Registration's {@code id_token_signed_response_alg}). */
	public static final String ID_TOKEN_SIGNING_ALG = "settings.client.tongxing.id-token-signed-response-alg";

	/** The client's own rate limits ({@link ClientRateLimit}), absent when its tier's apply. */
	public static final String RATE_LIMIT = "settings.client.tongxing.rate-limit";

	/**
	 * {@code public} or {@code pairwise} (OIDC Core §8), decided when the client was first imported and kept;
	 * absent on clients stored before it existed: {@code public}.
	 */
	public static final String SUBJECT_TYPE = "settings.client.tongxing.subject-type";

	/** The host name a pairwise client's subjects are computed for; absent on a public client. */
	public static final String SECTOR_IDENTIFIER = "settings.client.tongxing.sector-identifier";

	public static final String PUBLIC = "public";

	public static final String PAIRWISE = "pairwise";

	private ClientSettingNames() {
	}

	/** Whether the client gets pairwise subject identifiers; a client stored before the setting existed does not. */
	public static boolean pairwise(RegisteredClient client) {
		return PAIRWISE.equals(client.getClientSettings().getSetting(SUBJECT_TYPE));
	}

	/** The sector of a pairwise client, or null. */
	public static String sectorIdentifier(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(SECTOR_IDENTIFIER);
		return value == null ? null : value.toString();
	}

	/** The client's access-token algorithm; RS256 unless it registered another. */
	public static String accessTokenSigningAlg(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(ACCESS_TOKEN_SIGNING_ALG);
		return value == null ? "RS256" : value.toString();
	}

	/** The client's ID-token algorithm; RS256 unless it registered another. */
	public static String idTokenSigningAlg(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(ID_TOKEN_SIGNING_ALG);
		return value == null ? "RS256" : value.toString();
	}

	public static ClientTier tier(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(TIER);
		return value == null ? ClientTier.C : ClientTier.valueOf(value.toString());
	}

	/** @return the claims the client may receive, or null when its scopes alone decide */
	public static java.util.Set<String> claims(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(CLAIMS);
		return value == null ? null : java.util.Set.of(value.toString().trim().isEmpty() ? new String[0]
				: value.toString().trim().split("\\s+"));
	}

	/** @return the client's own rate limits, or null when its tier's apply */
	public static ClientRateLimit rateLimit(RegisteredClient client) {
		Object value = client.getClientSettings().getSetting(RATE_LIMIT);
		return value == null ? null : ClientRateLimit.fromSetting(value.toString());
	}

	public static boolean firstParty(RegisteredClient client) {
		return Boolean.TRUE.equals(client.getClientSettings().getSetting(FIRST_PARTY));
	}

}
