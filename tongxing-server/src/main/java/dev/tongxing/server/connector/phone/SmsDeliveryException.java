package dev.tongxing.server.connector.phone;

/**
 * The SMS provider did not take the message; the message says why, for the operator's log, and
 * {@link #upstreamError()} names how in one word for failure records.
 */
class SmsDeliveryException extends RuntimeException {

	private final String upstreamError;

	SmsDeliveryException(String message) {
		this(message, "refused", null);
	}

	/**
	 * @param upstreamError {@code refused} (the provider said no), {@code http_status}, {@code network},
	 * {@code timeout}, {@code circuit-open} or {@code bulkhead-full}
	 */
	SmsDeliveryException(String message, String upstreamError, Throwable cause) {
		super(message, cause);
		this.upstreamError = upstreamError;
	}

	/** The provider answered {@code status} without sending: its own trouble when 5xx, else a refusal. */
	static SmsDeliveryException answered(String message, int status) {
		return new SmsDeliveryException(message, status >= 500 ? "http_status" : "refused", null);
	}

	String upstreamError() {
		return this.upstreamError;
	}

	/** The provider's own trouble (or our guard's), rather than a refusal of the message. */
	boolean upstreamUnavailable() {
		return !"refused".equals(this.upstreamError);
	}

}
