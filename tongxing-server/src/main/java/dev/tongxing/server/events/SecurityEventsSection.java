package dev.tongxing.server.events;

import dev.tongxing.server.kernel.PersonalDataSection;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/**
 * In "download my data": the apps that received the person's data (the recipients GDPR Art. 19 lets them ask
 * for), and the security events sent to them about the account, with what became of each.
 */
@Component
@Order(7)
class SecurityEventsSection implements PersonalDataSection {

	record SentEvent(String event, String clientId, String status, Instant queuedAt, Instant finishedAt) {
	}

	private final Recipients recipients;

	private final Outbox outbox;

	SecurityEventsSection(Recipients recipients, Outbox outbox) {
		this.recipients = recipients;
		this.outbox = outbox;
	}

	@Override
	public String name() {
		return "security_events";
	}

	@Override
	public Object export(String userId) {
		List<SentEvent> sent = this.outbox.ofUser(userId)
			.stream()
			.map(e -> new SentEvent(EventTypes.shortName(e.eventType()), e.clientId(), e.status(), e.createdAt(),
					e.finishedAt()))
			.toList();
		Map<String, Object> section = new LinkedHashMap<>();
		section.put("recipients", this.recipients.list(userId));
		section.put("events", sent);
		return section;
	}

}
