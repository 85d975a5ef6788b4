package dev.tongxing.server.connector.wechat;

/**
 * WeChat did not answer usefully: a timeout, a broken connection, a non-200 status, a body that is not
 * JSON, our circuit breaker refusing to call while WeChat is failing, or too many calls in flight.
 */
public class WechatUnavailableException extends WechatException {

	public enum Reason {

		TIMEOUT("timeout"), NETWORK("network"), HTTP_STATUS("http_status"), MALFORMED("malformed"),
		CIRCUIT_OPEN("circuit-open"), BULKHEAD_FULL("bulkhead-full");

		private final String code;

		Reason(String code) {
			this.code = code;
		}

		/** As operators read it in failure records, after the endpoint: {@code /sns/userinfo timeout}. */
		public String code() {
			return this.code;
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
