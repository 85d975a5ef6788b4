package dev.tongxing.server.connector.passkey;

import dev.tongxing.server.login.LoginFailureCause;

/**
 * A passkey ceremony that did not prove anything: the shared cause, the code operators see
 * ({@code webauthn <code>}, advised in {@code i18n/ops}) and the message key people see.
 */
final class PasskeyFailure extends RuntimeException {

	private final LoginFailureCause cause;

	private final String code;

	private final String messageKey;

	PasskeyFailure(LoginFailureCause cause, String code, String messageKey, Throwable reason) {
		super(code, reason, false, false);
		this.cause = cause;
		this.code = code;
		this.messageKey = messageKey;
	}

	LoginFailureCause failureCause() {
		return this.cause;
	}

	String code() {
		return this.code;
	}

	String messageKey() {
		return this.messageKey;
	}

	/** Where the failure records say it happened. */
	static final String WHERE = "webauthn";

	String upstreamError() {
		return WHERE + " " + this.code;
	}

}
