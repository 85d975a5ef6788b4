package dev.tongxing.server.connector.wechat;

/**
 * WeChat did not answer usefully: a timeout, a broken connection, a non-200 status, a body that is not
 * JSON, our circuit breaker refusing to call while WeChat is failing, too many calls in flight, or the app's
 * quota budget ({@link WechatQuota}) leaving no room.
 */
public class WechatUnavailableException extends WechatException {

	public enum Reason {

		TIMEOUT, NETWORK, HTTP_STATUS, MALFORMED, CIRCUIT_OPEN, BULKHEAD_FULL,

		/** Not called: the app's budget for the API is spent, or WeChat said it is over its quota. */
		QUOTA;

		/** As operators read it in failure records, after the endpoint: {@code /sns/userinfo timeout}. */
		public String code() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private final Reason reason;

	public WechatUnavailableException(String endpoint, Reason reason, String message, Throwable cause) {
		super(endpoint, message, cause);
		this.reason = reason;
	}

	public Reason reason() {
		return this.reason;
	}

}
