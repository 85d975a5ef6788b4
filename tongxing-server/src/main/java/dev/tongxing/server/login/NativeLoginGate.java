package dev.tongxing.server.login;

import dev.tongxing.server.account.UserAccount;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A question a native app must have asked the person before the gateway signs them in (the privacy policy,
 * which the app shows itself): checked before the code is sent upstream, so a refusal does not burn it.
 * A question is declared once, by the package that owns it: one class is its browser gate ({@link LoginGate}
 * before an account exists, {@link PostLoginStep} after a sign-in) and its native gate, so the two ways in never
 * drift apart (an architecture test holds every native gate to that).
 */
public interface NativeLoginGate {

	/** The token-request parameters it reads (each at most once). */
	Set<String> parameters();

	/**
	 * @param method the login method
	 * @param dataCategories what the connector's login makes known about the person (for consent records)
	 * @param parameters the request's parameters named by {@link #parameters()}, when present
	 * @return what to record once the account is known
	 * @throws org.springframework.security.oauth2.core.OAuth2AuthenticationException when the request must be
	 * refused, with the error the app acts on ({@code consent_required} and the version to show)
	 */
	Consumer<UserAccount> admit(String method, java.util.List<String> dataCategories, Map<String, String> parameters);

	/**
	 * Where it is asked among the native gates, lowest first, independent of the browser steps' order (the privacy
	 * policy, at 0, before the questions it frames).
	 */
	default int nativeOrder() {
		return 0;
	}

}
