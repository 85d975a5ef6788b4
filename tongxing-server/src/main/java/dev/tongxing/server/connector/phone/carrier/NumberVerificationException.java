package dev.tongxing.server.connector.phone.carrier;

import dev.tongxing.server.login.LoginFailureCause;

/** The number-verification service refused a token or could not be asked: its code and what that means. */
class NumberVerificationException extends RuntimeException {

	private final String code;

	private final LoginFailureCause cause;

	NumberVerificationException(String message, String code, LoginFailureCause cause, Throwable thrown) {
		super(message, thrown);
		this.code = code;
		this.cause = cause;
	}

	/** The service's code ({@code isv.…}, {@code timeout}, {@code http_status}), for operators. */
	String code() {
		return this.code;
	}

	LoginFailureCause failureCause() {
		return this.cause;
	}

}
