package dev.tongxing.bench;

/**
 * An operation of the soak that did not end as it should, with its cause: what the report counts it under
 * (the gateway's login error, the OAuth error code, the HTTP status, ...), and the detail of the first one.
 */
final class SoakFailure extends RuntimeException {

	private final String cause;

	SoakFailure(String cause, String detail) {
		super(detail, null, false, false);
		this.cause = cause;
	}

	String failureCause() {
		return this.cause;
	}

}
