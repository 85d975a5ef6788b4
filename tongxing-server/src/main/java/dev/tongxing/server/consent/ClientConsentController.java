package dev.tongxing.server.consent;

import dev.tongxing.server.oidc.ClientConsentStep;
import jakarta.servlet.http.HttpSession;
import java.io.Serializable;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.server.ResponseStatusException;

/**
 * Tongxing's consent page for clients that are not first-party. Every item is a box of its own and none is
 * ticked; agreeing leads to a second page that names the recipient and the data once more and asks for a
 * separate confirmation, whose answer goes back to the authorization endpoint (see
 * {@link ClientConsentDecision}). Declining goes straight back, and the client hears {@code access_denied}.
 */
@Controller
class ClientConsentController {

	static final String PENDING = "tongxing.consent.client-pending";

	private static final SecureRandom RANDOM = new SecureRandom();

	/** What the person chose on the first page, waiting for the second confirmation. */
	record Pending(String clientId, String state, List<String> scopes, List<String> items,
			String confirmation) implements Serializable {
	}

	private final RegisteredClientRepository clients;

	private final dev.tongxing.server.residency.CrossBorderTransfers transfers;

	ClientConsentController(RegisteredClientRepository clients, dev.tongxing.server.residency.CrossBorderTransfers transfers) {
		this.clients = clients;
		this.transfers = transfers;
	}

	private List<ClientConsentItems.Item> items(RegisteredClient client, List<String> scopes) {
		return ClientConsentItems.of(client, scopes, this.transfers.of(client.getClientId()));
	}

	@GetMapping(ClientConsentStep.PAGE)
	String page(@RequestParam(name = "client_id", required = false) String clientId,
			@RequestParam(name = "scope", required = false) String scope,
			@RequestParam(name = "state", required = false) String state, Model model) {
		RegisteredClient client = client(clientId, state);
		model.addAttribute("client", client);
		model.addAttribute("state", state);
		model.addAttribute("requested", scope == null ? "" : scope);
		model.addAttribute("items", items(client, scopes(scope)));
		return "consent/client";
	}

	@PostMapping(ClientConsentStep.PAGE)
	String choose(@RequestParam(name = "client_id", required = false) String clientId,
			@RequestParam(name = "state", required = false) String state,
			@RequestParam(name = "requested", required = false) String requested,
			@RequestParam(name = "item", required = false) List<String> checked, HttpSession session, Model model) {
		RegisteredClient client = client(clientId, state);
		List<ClientConsentItems.Item> items = items(client, scopes(requested));
		List<String> chosen = checked == null ? List.of() : checked;
		if (!chosen.contains(ClientConsentItems.SHARING)) {
			model.addAttribute("error", "consent.client.error.sharing");
			return page(clientId, requested, state, model);
		}
		boolean abroad = items.stream().anyMatch(item -> item.id().equals(ClientConsentItems.CROSS_BORDER));
		if (abroad && !chosen.contains(ClientConsentItems.CROSS_BORDER)) {
			model.addAttribute("error", "consent.client.error.cross-border");
			return page(clientId, requested, state, model);
		}
		List<String> itemIds = items.stream().map(ClientConsentItems.Item::id).filter(chosen::contains).toList();
		List<String> scopes = itemIds.stream()
			.filter(id -> !id.equals(ClientConsentItems.SHARING) && !id.equals(ClientConsentItems.CROSS_BORDER))
			.toList();
		byte[] token = new byte[24];
		RANDOM.nextBytes(token);
		session.setAttribute(PENDING, new Pending(client.getClientId(), state, scopes, itemIds,
				Base64.getUrlEncoder().withoutPadding().encodeToString(token)));
		return "redirect:" + ClientConsentStep.PAGE + "/confirm";
	}

	@GetMapping(ClientConsentStep.PAGE + "/confirm")
	String confirmPage(HttpSession session, Model model) {
		if (!(session.getAttribute(PENDING) instanceof Pending pending)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"There is no consent waiting for confirmation. Start again from the app you were signing in to.");
		}
		RegisteredClient client = client(pending.clientId(), pending.state());
		List<ClientConsentItems.Item> chosen = items(client, pending.scopes())
			.stream()
			.filter(item -> pending.items().contains(item.id()))
			.toList();
		Set<String> scopes = new LinkedHashSet<>();
		if (client.getScopes().contains("openid")) {
			scopes.add("openid"); // the sign-in itself, granted with any consent
		}
		scopes.addAll(pending.scopes());
		model.addAttribute("client", client);
		model.addAttribute("pending", pending);
		model.addAttribute("items", chosen);
		model.addAttribute("scopes", scopes);
		model.addAttribute("categories", ClientConsentItems.categories(chosen));
		return "consent/client-confirm";
	}

	private RegisteredClient client(String clientId, String state) {
		RegisteredClient client = clientId == null ? null : this.clients.findByClientId(clientId);
		if (client == null || state == null || state.isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST,
					"This consent page belongs to a sign-in that is unknown or over. Start again from the app.");
		}
		return client;
	}

	private static List<String> scopes(String scope) {
		return scope == null ? List.of() : Arrays.stream(scope.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
	}

}
