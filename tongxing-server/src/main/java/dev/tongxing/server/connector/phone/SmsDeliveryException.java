package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;

/**
 * The SMS provider did not take the message; the message says why, for the operator's log, and
 * {@link #upstreamError()} names how in one word for failure records.
 */
class SmsDeliveryException extends RuntimeException {

	private final String upstreamError;

	private final LoginFailureCause cause;

	/** Whether the provider answered with an error code of its own (so it did not send). */
	private final boolean providerCode;

	SmsDeliveryException(String message) {
		this(message, "refused", (Throwable) null);
	}

	/** The provider answered with its own error code, which says whose trouble it is. */
	SmsDeliveryException(String message, String providerCode, LoginFailureCause cause) {
		super(message);
		this.upstreamError = providerCode.isEmpty() ? "refused" : providerCode;
		this.cause = cause;
		this.providerCode = true;
	}

	/** A provider's failure as fail-over reports it: its code prefixed with the provider's name. */
	SmsDeliveryException(String message, SmsDeliveryException failure, String provider) {
		super(message, failure);
		this.upstreamError = provider + " " + failure.upstreamError;
		this.cause = failure.cause;
		this.providerCode = failure.providerCode;
	}

	/**
	 * @param upstreamError {@code refused} (the provider said no), {@code http_status}, {@code network},
	 * {@code timeout}, {@code circuit_open} or {@code bulkhead_full}
	 */
	SmsDeliveryException(String message, String upstreamError, Throwable cause) {
		super(message, cause);
		this.upstreamError = upstreamError;
		this.cause = "refused".equals(upstreamError) ? LoginFailureCause.OUR_CONFIGURATION
				: LoginFailureCause.UPSTREAM_UNAVAILABLE;
		this.providerCode = false;
	}

	/** The provider answered {@code status} without sending: its own trouble when 5xx, else a refusal. */
	static SmsDeliveryException answered(String message, int status) {
		return new SmsDeliveryException(message, status >= 500 ? "http_status" : "refused", (Throwable) null);
	}

	boolean providerCode() {
		return this.providerCode;
	}

	String upstreamError() {
		return this.upstreamError;
	}

	/** The provider's own trouble (or our guard's), rather than a refusal of the message. */
	boolean upstreamUnavailable() {
		return this.cause == LoginFailureCause.UPSTREAM_UNAVAILABLE;
	}

	/** Why the code could not be sent, in the login failure taxonomy. */
	LoginFailureCause failureCause() {
		return this.cause;
	}

}
