package dev.tongxing.server.events;

import dev.tongxing.server.account.IdentifierRecycled;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * A recycled identifier leaving an account becomes RISC {@code identifier-recycled} to the account's apps. Runs
 * inside the account's transaction ({@link IdentifierRecycled} is published there): the events are queued if and
 * only if the number really moved.
 */
@Component
class IdentifierRecycledEvents {

	private final OutboxSecurityEvents events;

	IdentifierRecycledEvents(OutboxSecurityEvents events) {
		this.events = events;
	}

	@EventListener
	void on(IdentifierRecycled changed) {
		this.events.identifierRecycled(changed.userId());
	}

}
