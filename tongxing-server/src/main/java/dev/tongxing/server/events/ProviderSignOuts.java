package dev.tongxing.server.events;

import dev.tongxing.server.oidc.SignedOutAtProvider;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** RP-initiated logout becomes back-channel logout for the apps the browser session signed in to. */
@Component
class ProviderSignOuts {

	private final OutboxSecurityEvents events;

	ProviderSignOuts(OutboxSecurityEvents events) {
		this.events = events;
	}

	@EventListener
	void on(SignedOutAtProvider signedOut) {
		this.events.logoutSession(signedOut.userId(), signedOut.sid());
	}

}
