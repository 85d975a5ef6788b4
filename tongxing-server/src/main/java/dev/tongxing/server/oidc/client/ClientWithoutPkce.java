package dev.tongxing.server.oidc.client;

import org.springframework.context.ApplicationEvent;

/**
 * A client was imported with {@code require-pkce: false}: a weaker setting, announced for the audit log; weaker still
 * when it need not send a nonce either ({@code require-nonce: false}).
 */
public class ClientWithoutPkce extends ApplicationEvent {

	private final String clientId;

	private final boolean nonceRequired;

	public ClientWithoutPkce(Object source, String clientId, boolean nonceRequired) {
		super(source);
		this.clientId = clientId;
		this.nonceRequired = nonceRequired;
	}

	public boolean nonceRequired() {
		return this.nonceRequired;
	}

	public String clientId() {
		return this.clientId;
	}

}
