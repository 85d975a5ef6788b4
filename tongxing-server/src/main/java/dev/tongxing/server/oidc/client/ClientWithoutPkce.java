package dev.tongxing.server.oidc.client;

import org.springframework.context.ApplicationEvent;

/** A client was imported with {@code require-pkce: false}: a weaker setting, announced for the audit log. */
public class ClientWithoutPkce extends ApplicationEvent {

	private final String clientId;

	public ClientWithoutPkce(Object source, String clientId) {
		super(source);
		this.clientId = clientId;
	}

	public String clientId() {
		return this.clientId;
	}

}
