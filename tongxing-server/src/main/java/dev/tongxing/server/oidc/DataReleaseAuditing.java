package dev.tongxing.server.oidc;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Every release of personal data to a client in the audit log: which claims, to whom, how; never values. */
@Component
class DataReleaseAuditing {

	private static final Logger log = LoggerFactory.getLogger(DataReleaseAuditing.class);

	private final AuditLog audit;

	DataReleaseAuditing(AuditLog audit) {
		this.audit = audit;
	}

	@EventListener
	void on(PersonalDataReleased released) {
		AuditEntry entry = AuditEntry.of(AuditTypes.PERSONAL_DATA_RELEASED)
			.actor("client:" + released.clientId())
			.subject(released.subject())
			.client(released.clientId())
			.detail("claims", new TreeSet<>(released.claims()))
			.detail("channel", released.channel());
		try {
			this.audit.record(entry);
		}
		catch (RuntimeException ex) {
			log.error("Could not record {} in the audit log", entry.type(), ex);
		}
	}

}
