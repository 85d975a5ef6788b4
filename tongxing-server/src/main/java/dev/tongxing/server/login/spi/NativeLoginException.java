package dev.tongxing.server.login.spi;

/**
 * A native login refused with an OAuth error code ({@code invalid_request}, {@code invalid_grant},
 * {@code access_denied}, {@code temporarily_unavailable}, …) and a description for the client's developers.
 */
public class NativeLoginException extends RuntimeException {

	private final String errorCode;

	public NativeLoginException(String errorCode, String description) {
		super(description);
		this.errorCode = errorCode;
	}

	public String errorCode() {
		return this.errorCode;
	}

}
