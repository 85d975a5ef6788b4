package dev.tongxing.server.admin;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.oidc.client.ClientWithoutPkce;
import org.springframework.context.ApplicationListener;
import org.springframework.stereotype.Component;

/**
 * Records in the audit log each start-up at which an operator's configuration weakens a client's protection
 * (today: {@code require-pkce: false}). A listener by interface, not by annotation: clients are imported while the
 * context finishes starting, before annotated listeners are registered.
 */
@Component
class ClientConfigurationAuditing implements ApplicationListener<ClientWithoutPkce> {

	private final AuditLog audit;

	ClientConfigurationAuditing(AuditLog audit) {
		this.audit = audit;
	}

	@Override
	public void onApplicationEvent(ClientWithoutPkce event) {
		this.audit.record(AuditEntry.of(AuditTypes.CLIENT_PKCE_NOT_REQUIRED)
			.actor("system")
			.client(event.clientId())
			.detail("setting", "require-pkce")
			.detail("value", false)
			.detail("nonce-required", event.nonceRequired()));
	}

}
