package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.oidc.UserAuthorizations;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Component;

/**
 * The apps the person let in or that received their data, and what each received: the claims released to
 * it (from the audit log's {@code personal-data.released} entries, which name claims, never values) and how
 * many times tokens were issued to it.
 */
@Component
@Order(4)
class ConnectedAppsSection implements PersonalDataSection {

	/**
	 * @param connected whether it holds tokens or a remembered consent now
	 * @param receivedClaims every claim it was ever given (e.g. {@code name}, {@code phone_number})
	 */
	record ConnectedApp(String clientId, String clientName, boolean connected, Instant connectedSince,
			Set<String> receivedClaims, int releases, Instant lastReleaseAt, int tokensIssued) {
	}

	private final UserAuthorizations authorizations;

	private final AuditTrail trail;

	private final RegisteredClientRepository clients;

	ConnectedAppsSection(UserAuthorizations authorizations, AuditTrail trail, RegisteredClientRepository clients) {
		this.authorizations = authorizations;
		this.trail = trail;
		this.clients = clients;
	}

	@Override
	public String name() {
		return "connected_apps";
	}

	@Override
	public Object export(String userId) {
		Map<String, UserAuthorizations.ConnectedClient> connected = new LinkedHashMap<>();
		this.authorizations.connected(userId).forEach(c -> connected.put(c.clientId(), c));
		Map<String, Tally> tallies = new TreeMap<>();
		for (AuditTrail.Entry entry : this.trail.about(userId)) {
			if (entry.clientId() == null) {
				continue;
			}
			Tally tally = tallies.computeIfAbsent(entry.clientId(), id -> new Tally());
			if (AuditTypes.PERSONAL_DATA_RELEASED.equals(entry.type())) {
				tally.releases++;
				tally.lastReleaseAt = entry.recordedAt();
				if (entry.details().get("claims") instanceof Collection<?> claims) {
					claims.forEach(claim -> tally.claims.add(String.valueOf(claim)));
				}
			}
			else if (AuditTypes.TOKEN_ISSUED.equals(entry.type())) {
				tally.tokens++;
			}
		}
		TreeSet<String> all = new TreeSet<>(connected.keySet());
		all.addAll(tallies.keySet());
		return all.stream().map(clientId -> {
			Tally tally = tallies.getOrDefault(clientId, new Tally());
			UserAuthorizations.ConnectedClient now = connected.get(clientId);
			return new ConnectedApp(clientId, name(clientId), now != null, now == null ? null : now.since(),
					tally.claims, tally.releases, tally.lastReleaseAt, tally.tokens);
		}).toList();
	}

	private String name(String clientId) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		return client == null ? clientId : client.getClientName();
	}

	private static final class Tally {

		final Set<String> claims = new TreeSet<>();

		int releases;

		Instant lastReleaseAt;

		int tokens;

	}

}
