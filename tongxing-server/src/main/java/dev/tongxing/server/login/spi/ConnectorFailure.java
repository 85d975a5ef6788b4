package dev.tongxing.server.login.spi;

import dev.tongxing.server.login.LoginFailureCause;

/**
 * The upstream refused a login, or could not be asked: the shared cause, and the exact upstream error for
 * operators. The message is for the log only.
 */
public class ConnectorFailure extends RuntimeException {

	private final LoginFailureCause cause;

	private final UpstreamError upstreamError;

	public ConnectorFailure(LoginFailureCause cause, UpstreamError upstreamError, String message, Throwable reason) {
		super(message, reason);
		this.cause = cause;
		this.upstreamError = upstreamError;
	}

	public LoginFailureCause failureCause() {
		return this.cause;
	}

	public UpstreamError upstreamError() {
		return this.upstreamError;
	}

}
