package dev.tongxing.server.oidc;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.util.TreeSet;
import org.springframework.context.event.EventListener;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.stereotype.Component;

/**
 * Every token response in the audit log: who got what for whom, never the tokens themselves. The response
 * leaves only once its entry is committed.
 */
@Component
class TokenAuditing {

	private final AuditLog audit;

	TokenAuditing(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void on(TokenIssued issued) {
		boolean forClient = AuthorizationGrantType.CLIENT_CREDENTIALS.getValue().equals(issued.grantType());
		AuditEntry entry = AuditEntry.of(AuditTypes.TOKEN_ISSUED)
			.actor("client:" + issued.clientId())
			.subject(forClient ? null : issued.subject())
			.client(issued.clientId())
			.detail("grant_type", issued.grantType())
			.detail("jti", issued.jti())
			.detail("expires_at", issued.expiresAt() == null ? null : AuditEntry.time(issued.expiresAt()))
			.detail("scopes", issued.scopes() == null ? null : new TreeSet<>(issued.scopes()))
			.detail("refresh_token", issued.refreshToken())
			.detail("id_token", issued.idToken());
		// no catch: a token whose issuance is not in the audit log must not leave (TokenResponseHandler)
		this.audit.record(entry);
	}

}
