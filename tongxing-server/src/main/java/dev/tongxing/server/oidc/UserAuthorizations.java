package dev.tongxing.server.oidc;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.OAuth2Authorization;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationConsentService;
import org.springframework.security.oauth2.server.authorization.OAuth2AuthorizationService;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

/**
 * The apps a person has let in, and taking that back: what the consent page needs from the provider.
 * Revoking removes the client's authorizations (its access and refresh tokens stop working at once:
 * introspection, userinfo and refresh all look them up) and its remembered OAuth consent (the next
 * request asks again).
 */
@Component
public class UserAuthorizations {

	/** A client holding tokens for the person, or consent remembered for it. */
	public record ConnectedClient(String clientId, String clientName, Instant since) {
	}

	private final JdbcClient jdbc;

	private final RegisteredClientRepository clients;

	private final OAuth2AuthorizationService authorizations;

	private final OAuth2AuthorizationConsentService consents;

	UserAuthorizations(JdbcClient jdbc, RegisteredClientRepository clients, OAuth2AuthorizationService authorizations,
			OAuth2AuthorizationConsentService consents) {
		this.jdbc = jdbc;
		this.clients = clients;
		this.authorizations = authorizations;
		this.consents = consents;
	}

	/**
	 * A live authorization of the person at a client: one of its tokens still works.
	 * @param sid the session id its ID token carried, or null (e.g. a token exchange has no browser session)
	 */
	public record LiveSession(String clientId, String sid) {
	}

	/** The clients that hold a working token for the person, with the session each was issued in. */
	public List<LiveSession> liveSessions(String userId) {
		List<String> ids = this.jdbc.sql("SELECT id FROM oauth2_authorization WHERE principal_name = :u")
			.param("u", userId)
			.query(String.class)
			.list();
		List<LiveSession> live = new java.util.ArrayList<>();
		for (String id : ids) {
			OAuth2Authorization authorization = this.authorizations.findById(id);
			if (authorization == null || !isLive(authorization)) {
				continue;
			}
			RegisteredClient client = this.clients.findById(authorization.getRegisteredClientId());
			if (client == null) {
				continue;
			}
			var idToken = authorization.getToken(org.springframework.security.oauth2.core.oidc.OidcIdToken.class);
			Object sid = idToken == null ? null : idToken.getToken().getClaims().get("sid");
			LiveSession session = new LiveSession(client.getClientId(), sid == null ? null : sid.toString());
			if (!live.contains(session)) {
				live.add(session);
			}
		}
		return live;
	}

	private static boolean isLive(OAuth2Authorization authorization) {
		var access = authorization.getAccessToken();
		var refresh = authorization.getRefreshToken();
		return access != null && access.isActive() || refresh != null && refresh.isActive();
	}

	public List<ConnectedClient> connected(String userId) {
		return this.jdbc.sql("""
				SELECT registered_client_id, MIN(access_token_issued_at) FROM oauth2_authorization
				WHERE principal_name = :u GROUP BY registered_client_id
				UNION
				SELECT registered_client_id, NULL FROM oauth2_authorization_consent WHERE principal_name = :u""")
			.param("u", userId)
			.query((rs, i) -> {
				RegisteredClient client = this.clients.findById(rs.getString(1));
				java.time.OffsetDateTime since = rs.getObject(2, java.time.OffsetDateTime.class);
				return client == null ? null : new ConnectedClient(client.getClientId(), client.getClientName(),
						since == null ? null : since.toInstant());
			})
			.list()
			.stream()
			.filter(java.util.Objects::nonNull)
			.collect(java.util.stream.Collectors.toMap(ConnectedClient::clientId, c -> c, (a, b) -> a.since() != null ? a : b,
					java.util.LinkedHashMap::new))
			.values()
			.stream()
			.toList();
	}

	/** Revokes every token the client holds for the person and forgets their consent to it. */
	public void revoke(String userId, String clientId) {
		Optional<RegisteredClient> client = Optional.ofNullable(this.clients.findByClientId(clientId));
		if (client.isEmpty()) {
			return;
		}
		List<String> ids = this.jdbc
			.sql("SELECT id FROM oauth2_authorization WHERE principal_name = :u AND registered_client_id = :c")
			.param("u", userId)
			.param("c", client.get().getId())
			.query(String.class)
			.list();
		for (String id : ids) {
			OAuth2Authorization authorization = this.authorizations.findById(id);
			if (authorization != null) {
				this.authorizations.remove(authorization);
			}
		}
		var consent = this.consents.findById(client.get().getId(), userId);
		if (consent != null) {
			this.consents.remove(consent);
		}
	}

	/** Revokes every client's tokens for the person and forgets every consent (e.g. the policy was withdrawn). */
	public List<String> revokeAll(String userId) {
		List<String> clientIds = connected(userId).stream().map(ConnectedClient::clientId).toList();
		clientIds.forEach(clientId -> revoke(userId, clientId));
		return clientIds;
	}

}
