package dev.tongxing.server.oidc;

import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;

/**
 * A condition on every release of a person's claims to a client ({@link ClaimRelease}), owned by the package
 * that knows it: data leaving the country needs the person's separate consent (PIPL Art. 39). A refused
 * release carries no personal claims; the sign-in itself (the {@code sub}) still works.
 */
public interface ClaimReleaseGate {

	/** Whether this client may receive this person's claims now; the gate records a refusal itself. */
	boolean mayRelease(RegisteredClient client, String subject, String channel);

}
