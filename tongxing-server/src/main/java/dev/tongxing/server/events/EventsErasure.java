package dev.tongxing.server.events;

import dev.tongxing.server.kernel.ErasureParticipant;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * At account deletion, after {@code account-purged} is queued (in the same transaction), forgets who received
 * the user's data and which identifiers the user had bound: nothing is left to tell them. The queued events
 * stay until delivered (they hold only opaque ids), and the audit log keeps the record of each delivery.
 */
@Component
class EventsErasure implements ErasureParticipant {

	private final JdbcClient jdbc;

	EventsErasure(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public String name() {
		return "security-event-recipients";
	}

	@Override
	public void erase(String userId) {
		this.jdbc.sql("DELETE FROM events_recipient WHERE user_id = :u").param("u", userId).update();
		this.jdbc.sql("DELETE FROM events_identifier_seen WHERE user_id = :u").param("u", userId).update();
	}

}
