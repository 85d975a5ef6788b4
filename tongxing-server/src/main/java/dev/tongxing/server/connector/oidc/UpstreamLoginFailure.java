package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.login.spi.UpstreamError;

/**
 * Why an upstream login did not end in a sign-in. The person reads the reason in words on the login page;
 * the detail (which may quote the provider) goes to the log only.
 */
final class UpstreamLoginFailure extends Exception {

	enum Reason {

		/** The person said no (or closed the provider's page). */
		CANCELLED("cancelled"),
		/** Unknown, used, expired or foreign state: start again. */
		EXPIRED("expired"),
		/** The provider answered with an error. */
		REFUSED("refused"),
		/** The provider could not be reached in time. */
		UNREACHABLE("unreachable"),
		/** The provider's answer failed a check (ID token, issuer, …): never trusted. */
		INVALID_ANSWER("invalid");

		private final String code;

		Reason(String code) {
			this.code = code;
		}

		/** Names the reason in URLs and message keys. */
		String code() {
			return this.code;
		}

	}

	private final Reason reason;

	private final UpstreamError upstreamError;

	UpstreamLoginFailure(Reason reason, String detail) {
		this(reason, detail, null);
	}

	UpstreamLoginFailure(Reason reason, String detail, Throwable cause) {
		this(reason, detail, null, cause);
	}

	/** @param upstreamError how a call failed, for failure records: {@code discovery timeout} */
	UpstreamLoginFailure(Reason reason, String detail, UpstreamError upstreamError, Throwable cause) {
		super(detail, cause, false, false);
		this.reason = reason;
		this.upstreamError = upstreamError;
	}

	Reason reason() {
		return this.reason;
	}

	/** The exact upstream error for operators ({@code token circuit_open}), or the reason's code. */
	UpstreamError upstreamError() {
		return this.upstreamError != null ? this.upstreamError : new UpstreamError("", this.reason.code());
	}

}
