package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.client.ClientSettingNames;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * What a client that is not first-party asks to receive, as items a person can agree to one by one. Sharing
 * with a third party needs the person's separate consent (PIPL Art. 23), and the phone number is sensitive
 * personal information (Art. 29), so both are items of their own; the data listed is what the client's
 * whitelist lets through, not merely what its scopes could carry.
 */
final class ClientConsentItems {

	/** The item every third-party consent needs: providing personal data to that client at all. */
	static final String SHARING = "third-party-sharing";

	/** The separate consent to sending the data abroad, for a client outside the allowed regions (PIPL Art. 39). */
	static final String CROSS_BORDER = "cross-border";

	/** The claims each scope carries, in the order a person reads them. */
	private static final Map<String, List<String>> SCOPE_CLAIMS = Map.of("profile", List.of("name", "picture"),
			"phone", List.of("phone_number"));

	private static final Set<String> SENSITIVE_SCOPES = Set.of("phone");

	/**
	 * @param id the form value and {@code data-consent-item}: {@link #SHARING} or a scope
	 * @param claims the claims it releases (empty for a scope that carries none, e.g. {@code offline_access})
	 */
	record Item(String id, List<String> claims, boolean sensitive, boolean required, List<String> args) {

		Item(String id, List<String> claims, boolean sensitive, boolean required) {
			this(id, claims, sensitive, required, List.of());
		}

		public String messageKey() {
			return switch (this.id) {
				case SHARING, CROSS_BORDER, "profile", "phone", "offline_access" -> "consent.client.item." + this.id;
				default -> "consent.client.item.scope";
			};
		}

		/** The item's own words for its message ({@code {2}}, {@code {3}}, …), or "". */
		public String arg(int index) {
			return index < this.args.size() ? this.args.get(index) : "";
		}

	}

	private ClientConsentItems() {
	}

	static List<Item> of(RegisteredClient client, Collection<String> requestedScopes) {
		return of(client, requestedScopes, java.util.Optional.empty());
	}

	/**
	 * @param abroad the client's transfer abroad: its region, legal basis and contact are told in an item of
	 * its own, which must be ticked
	 */
	static List<Item> of(RegisteredClient client, Collection<String> requestedScopes,
			java.util.Optional<dev.tongxing.server.residency.CrossBorderTransfers.CrossBorder> abroad) {
		Set<String> whitelist = ClientSettingNames.claims(client);
		List<Item> items = new ArrayList<>();
		items.add(new Item(SHARING, List.of(), false, true));
		abroad.ifPresent(transfer -> items.add(new Item(CROSS_BORDER, List.of(), false, true,
				List.of(transfer.region(), transfer.mechanism(), transfer.company(), transfer.contact()))));
		for (String scope : requestedScopes) {
			if (scope.equals("openid") || !client.getScopes().contains(scope)) {
				continue; // openid is the sign-in itself; unknown scopes are refused by the endpoint anyway
			}
			List<String> claims = SCOPE_CLAIMS.getOrDefault(scope, List.of())
				.stream()
				.filter(claim -> whitelist == null || whitelist.contains(claim))
				.toList();
			items.add(new Item(scope, claims, SENSITIVE_SCOPES.contains(scope), false));
		}
		return items;
	}

	/** The data categories a decision covers, as consent records name them. */
	static List<String> categories(List<Item> chosen) {
		List<String> categories = new ArrayList<>();
		for (Item item : chosen) {
			item.claims().forEach(claim -> categories.add(switch (claim) {
				case "name" -> "nickname";
				case "picture" -> "avatar";
				case "phone_number" -> "phone-number";
				default -> claim;
			}));
		}
		return categories.isEmpty() ? List.of("subject-identifier") : categories;
	}

}
