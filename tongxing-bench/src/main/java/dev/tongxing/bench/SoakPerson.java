package dev.tongxing.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One emulator user and what the soak holds for them: whether the gateway has their account yet, the sub each
 * app was given (every app the soak saw receive a token for them: the apps a deletion must tell), the apps'
 * current tokens, and whether the web app holds their consent. Only the worker that took the person from the
 * pool touches it, so one person's operations never overlap.
 */
final class SoakPerson {

	final String user;

	/** The sub of the first token the soak saw for the person: set once the account exists. */
	String accountId;

	final Map<String, String> subjects = new LinkedHashMap<>();

	/** Per app: refresh token, access token, access token's expiry (epoch seconds). */
	final Map<String, Tokens> tokens = new LinkedHashMap<>();

	boolean webConsent;

	boolean deleted;

	SoakPerson(String user) {
		this.user = user;
	}

	boolean hasAccount() {
		return this.accountId != null;
	}

	record Tokens(String refreshToken, String accessToken, long accessExpiresAt) {
	}

}
