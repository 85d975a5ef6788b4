package dev.tongxing.server.connector.oidc;

import org.springframework.http.HttpStatus;

/**
 * Why an upstream login did not end in a sign-in. The person sees {@link Reason#messageKey()}; the detail
 * (which may quote the provider) goes to the log only.
 */
final class UpstreamLoginFailure extends Exception {

	enum Reason {

		/** The person said no (or closed the provider's page). */
		CANCELLED(HttpStatus.OK, "oidc-upstream.failure.cancelled"),
		/** Unknown, used, expired or foreign state: start again. */
		EXPIRED(HttpStatus.BAD_REQUEST, "oidc-upstream.failure.expired"),
		/** The provider answered with an error. */
		REFUSED(HttpStatus.BAD_GATEWAY, "oidc-upstream.failure.refused"),
		/** The provider could not be reached in time. */
		UNREACHABLE(HttpStatus.BAD_GATEWAY, "oidc-upstream.failure.unreachable"),
		/** The provider's answer failed a check (ID token, issuer, …): never trusted. */
		INVALID_ANSWER(HttpStatus.BAD_GATEWAY, "oidc-upstream.failure.invalid");

		private final HttpStatus status;

		private final String messageKey;

		Reason(HttpStatus status, String messageKey) {
			this.status = status;
			this.messageKey = messageKey;
		}

		HttpStatus status() {
			return this.status;
		}

		String messageKey() {
			return this.messageKey;
		}

	}

	private final Reason reason;

	UpstreamLoginFailure(Reason reason, String detail) {
		this(reason, detail, null);
	}

	UpstreamLoginFailure(Reason reason, String detail, Throwable cause) {
		super(detail, cause, false, false);
		this.reason = reason;
	}

	Reason reason() {
		return this.reason;
	}

}
