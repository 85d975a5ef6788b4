package dev.tongxing.server.privacy;

import dev.tongxing.server.consent.PersonalInformationHandler;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.oidc.client.ClientDefinition;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Service;

/**
 * Everyone outside the gateway that receives personal information from it (the third-party list): WeChat when
 * WeChat apps are configured, the configured SMS provider (an entrusted processor, PIPL Art. 21), and every
 * client that can receive claims (another handler when it is not first-party, Art. 23), with the claims its
 * scopes and whitelist let through. Computed from the configuration at each request, so it cannot go stale.
 */
@Service
public class PersonalDataRecipients {

	/** The claims each scope can carry, as {@code AccountService.claims} releases them. */
	static final Map<String, List<String>> SCOPE_CLAIMS = Map.of("openid", List.of("sub"), "profile",
			List.of("name", "picture"), "phone", List.of("phone_number", "phone_number_verified"));

	/**
	 * @param kind {@code wechat}, {@code sms-provider} or {@code client}
	 * @param role {@code entrusted-processor}, {@code other-handler} or {@code same-handler}
	 * @param claims for a client: the claims it can receive; otherwise empty
	 * @param items the catalogue items it receives
	 * @param purposes its purposes: message keys for WeChat and SMS, the configured words for a client
	 */
	public record Recipient(String kind, String id, String name, String company, String contact, String role,
			List<String> purposes, List<String> claims, List<String> items) {
	}

	private final OidcProperties oidc;

	private final List<ClientDefinition> contributedClients;

	private final ClientParties parties;

	/** What each way to sign in passes to its upstream. */
	private final List<UpstreamRecipients> upstreams;

	private final PersonalDataCatalog catalog;

	private final PrivacyListsProperties properties;

	private final PersonalInformationHandler handler;

	PersonalDataRecipients(OidcProperties oidc, List<ClientDefinition> contributedClients, ClientParties parties,
			List<UpstreamRecipients> upstreams, PersonalDataCatalog catalog,
			PrivacyListsProperties properties, PersonalInformationHandler handler) {
		this.handler = handler;
		this.oidc = oidc;
		this.contributedClients = contributedClients;
		this.parties = parties;
		this.upstreams = upstreams;
		this.catalog = catalog;
		this.properties = properties;
	}

	public List<Recipient> all() {
		List<Recipient> all = new ArrayList<>();
		for (UpstreamRecipients upstream : this.upstreams) {
			for (UpstreamRecipients.Recipient r : upstream.recipients()) {
				PrivacyListsProperties.Party party = this.properties.recipient(r.id());
				all.add(new Recipient(r.kind(), r.id(), r.name(), party.company(), party.contact(), r.role(),
						List.of(r.purposeKey()), List.of(), r.categories()));
			}
		}
		for (ClientDefinition client : clients()) {
			List<String> claims = claims(client);
			if (claims.isEmpty()) {
				continue; // a machine client (client_credentials) receives nothing about people
			}
			var party = this.parties.of(client.clientId());
			String company = party.map(ClientParties.Party::company)
				.orElse(client.firstParty() ? this.handler.company() : null);
			String contact = party.map(ClientParties.Party::contact)
				.orElse(client.firstParty() ? this.handler.contact() : null);
			List<String> items = this.catalog.covering(claims.stream().map(c -> "claim:" + c).toList())
				.stream()
				.map(PersonalDataCatalog.Item::id)
				.toList();
			all.add(new Recipient("client", client.clientId(),
					client.clientName() == null ? client.clientId() : client.clientName(), company, contact,
					client.firstParty() ? "same-handler" : "other-handler",
					party.map(ClientParties.Party::purposes).filter(p -> !p.isEmpty())
						.orElse(List.of("privacy.recipient.client.purpose")),
					claims, items));
		}
		return all;
	}

	/** The configured clients, and those contributed by code (the dev profile's demo), once each. */
	private List<ClientDefinition> clients() {
		Map<String, ClientDefinition> byId = new LinkedHashMap<>();
		this.oidc.clients().forEach(c -> byId.put(c.clientId(), c));
		this.contributedClients.forEach(c -> byId.putIfAbsent(c.clientId(), c));
		return List.copyOf(byId.values());
	}

	/** What its scopes carry, narrowed by its whitelist, as {@code ClaimRelease} does. */
	static List<String> claims(ClientDefinition client) {
		if (!client.scopes().contains("openid")) {
			return List.of();
		}
		Set<String> claims = new LinkedHashSet<>();
		for (String scope : client.scopes()) {
			for (String claim : SCOPE_CLAIMS.getOrDefault(scope, List.of())) {
				if (claim.equals("sub") || client.claims().isEmpty() || client.claims().contains(claim)) {
					claims.add(claim);
				}
			}
		}
		return List.copyOf(claims);
	}

}
