package dev.tongxing.server.consent;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.oidc.ClaimReleaseGate;
import dev.tongxing.server.residency.CrossBorderTransfers;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.stereotype.Component;

/**
 * No personal claim goes abroad without the person's separate consent to that recipient (PIPL Art. 39): a
 * client outside the allowed regions gets its tokens and userinfo without claims until the person has
 * agreed in its consent dialog; a refusal is audited.
 */
@Component
class CrossBorderReleaseGate implements ClaimReleaseGate {

	private final CrossBorderTransfers transfers;

	private final ConsentRecords records;

	private final AuditLog audit;

	CrossBorderReleaseGate(CrossBorderTransfers transfers, ConsentRecords records, AuditLog audit) {
		this.transfers = transfers;
		this.records = records;
		this.audit = audit;
	}

	@Override
	public boolean mayRelease(RegisteredClient client, String subject, String channel) {
		var abroad = this.transfers.of(client.getClientId());
		if (abroad.isEmpty() || this.records.crossBorderConsented(subject, client.getClientId())) {
			return true;
		}
		this.audit.record(AuditEntry.of("residency.cross-border-release-refused")
			.actor("system")
			.subject(subject)
			.client(client.getClientId())
			.detail("region", abroad.get().region())
			.detail("channel", channel));
		return false;
	}

}
