package dev.tongxing.server.oidc;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * The one place a user's claims leave for a client: what the granted scopes allow, narrowed by the client's
 * data-sharing whitelist as it stands now (a change reaches every node within the client cache's second),
 * and announced for the audit log. {@link OptInClaims} (the minor marker) pass only when the whitelist names them;
 * a {@link ClaimReleaseGate} (cross-border consent) can hold every claim back.
 */
@Component
public class ClaimRelease {

	private final AccountService accounts;

	private final ApplicationEventPublisher events;

	private final java.util.List<OptInClaims> optIn;

	private final java.util.List<ClaimReleaseGate> gates;

	ClaimRelease(AccountService accounts, ApplicationEventPublisher events, java.util.List<OptInClaims> optIn,
			java.util.List<ClaimReleaseGate> gates) {
		this.accounts = accounts;
		this.events = events;
		this.optIn = optIn;
		this.gates = gates;
	}

	public Map<String, Object> release(RegisteredClient client, String subject, Set<String> scopes, String channel) {
		for (ClaimReleaseGate gate : this.gates) {
			if (!gate.mayRelease(client, subject, channel)) {
				return Map.of();
			}
		}
		Set<String> allowed = ClientSettingNames.claims(client);
		Map<String, Object> claims = new LinkedHashMap<>();
		this.accounts.claims(subject, scopes).forEach((name, value) -> {
			if (allowed == null || allowed.contains(name)) {
				claims.put(name, value);
			}
		});
		if (allowed != null) {
			for (OptInClaims source : this.optIn) {
				source.claims(subject, scopes).forEach((name, value) -> {
					if (allowed.contains(name)) {
						claims.put(name, value);
					}
				});
			}
		}
		if (!claims.isEmpty()) {
			this.events.publishEvent(
					new PersonalDataReleased(client.getClientId(), subject, new TreeSet<>(claims.keySet()), channel));
		}
		return claims;
	}

}
