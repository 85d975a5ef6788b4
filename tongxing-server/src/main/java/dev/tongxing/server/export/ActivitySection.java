package dev.tongxing.server.export;

import dev.tongxing.server.kernel.PersonalDataSection;
import dev.tongxing.server.audit.AuditTrail;
import java.time.Instant;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * The audit log's entries about the person: sign-ins (with the network, never the full address), tokens
 * issued, data released, account changes, consent decisions, deletion steps, earlier downloads.
 */
@Component
@Order(5)
class ActivitySection implements PersonalDataSection {

	record Activity(Instant at, String type, String actor, String clientId, Map<String, Object> details) {
	}

	private final AuditTrail trail;

	ActivitySection(AuditTrail trail) {
		this.trail = trail;
	}

	@Override
	public String name() {
		return "activity";
	}

	@Override
	public Object export(String userId) {
		return this.trail.about(userId)
			.stream()
			.map(e -> new Activity(e.recordedAt(), e.type(), e.actor(), e.clientId(), e.details()))
			.toList();
	}

}
