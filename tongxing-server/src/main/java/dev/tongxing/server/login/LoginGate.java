package dev.tongxing.server.login;

import dev.tongxing.server.account.ExternalIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Optional;

/**
 * A question a new person must answer before any account is created for them (the privacy policy). The
 * login waits in the session; the gate's page then calls {@link LoginCompletion#resume} or
 * {@link LoginCompletion#abandon}.
 */
public interface LoginGate {

	/** @return the gate's page, or empty when this person may pass */
	Optional<String> ask(ExternalIdentity identity, HttpServletRequest request);

}
