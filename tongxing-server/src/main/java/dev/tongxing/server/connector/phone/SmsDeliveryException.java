package dev.tongxing.server.connector.phone;

/** The SMS provider did not take the message; the message says why, for the operator's log. */
class SmsDeliveryException extends RuntimeException {

	SmsDeliveryException(String message) {
		super(message);
	}

	SmsDeliveryException(String message, Throwable cause) {
		super(message, cause);
	}

}
