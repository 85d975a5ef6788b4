package dev.tongxing.server.connector.wechat;

/** A WeChat call that did not give us what we asked for. */
public class WechatException extends RuntimeException {

	private final String endpoint;

	public WechatException(String endpoint, String message) {
		super(message);
		this.endpoint = endpoint;
	}

	public WechatException(String endpoint, String message, Throwable cause) {
		super(message, cause);
		this.endpoint = endpoint;
	}

	public String endpoint() {
		return this.endpoint;
	}

}
