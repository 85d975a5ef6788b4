package dev.tongxing.server.admin;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.oidc.client.ClientSettingNames;
import java.security.Principal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.springframework.http.HttpStatus;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.ClientSettings;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * A client's data-sharing whitelist: the scopes it may request and the claims it may receive. A change is
 * live at once on this node and within a second on every other (the client cache's lifetime); tokens and
 * userinfo answers given from then on carry only what the whitelist allows. Configuration is imported again
 * at the next start.
 */
@RestController
@RequestMapping("/admin/api/clients/{clientId}/sharing")
class ClientSharingAdminController {

	record Sharing(List<String> scopes, List<String> claims) {
	}

	private final RegisteredClientRepository clients;

	private final AuditLog audit;

	ClientSharingAdminController(RegisteredClientRepository clients, AuditLog audit) {
		this.clients = clients;
		this.audit = audit;
	}

	@GetMapping
	Map<String, Object> get(@PathVariable String clientId) {
		return view(client(clientId));
	}

	@PutMapping
	Map<String, Object> put(@PathVariable String clientId, @RequestBody Sharing sharing, Principal operator) {
		RegisteredClient current = client(clientId);
		if (sharing.scopes() == null || sharing.scopes().isEmpty()
				|| sharing.scopes().stream().anyMatch(s -> s == null || !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"))) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "scopes must be a non-empty list of scope tokens");
		}
		if (sharing.claims() != null && sharing.claims().stream().anyMatch(c -> c == null || !c.matches("[a-z_]{1,64}"))) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "claims must be claim names");
		}
		ClientSettings.Builder settings = ClientSettings.withSettings(current.getClientSettings().getSettings());
		if (sharing.claims() == null) {
			settings.settings(s -> s.remove(ClientSettingNames.CLAIMS));
		}
		else {
			settings.setting(ClientSettingNames.CLAIMS, String.join(" ", sharing.claims()));
		}
		RegisteredClient updated = RegisteredClient.from(current)
			.scopes(s -> {
				s.clear();
				s.addAll(sharing.scopes());
			})
			.clientSettings(settings.build())
			.build();
		this.clients.save(updated);
		this.audit.record(AuditEntry.of(AuditTypes.ADMIN_CLIENT_SHARING_CHANGED)
			.actor("admin:" + operator.getName())
			.client(clientId)
			.detail("scopes", new TreeSet<>(sharing.scopes()))
			.detail("claims", sharing.claims() == null ? null : new TreeSet<>(sharing.claims())));
		return view(updated);
	}

	private RegisteredClient client(String clientId) {
		RegisteredClient client = this.clients.findByClientId(clientId);
		if (client == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND);
		}
		return client;
	}

	private static Map<String, Object> view(RegisteredClient client) {
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("client_id", client.getClientId());
		body.put("scopes", new TreeSet<>(client.getScopes()));
		var claims = ClientSettingNames.claims(client);
		body.put("claims", claims == null ? null : new TreeSet<>(claims));
		return body;
	}

}
