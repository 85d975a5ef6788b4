package dev.tongxing.server.connector.wechat;

/**
 * WeChat answered, with an error: HTTP 200 and a non-zero {@code errcode}. Matched on the code, never on
 * {@code errmsg} (whose text and trace suffix change over time).
 */
public class WechatApiException extends WechatException {

	private final int errcode;

	public WechatApiException(String endpoint, int errcode, String errmsg) {
		super(endpoint, "WeChat " + endpoint + " answered errcode " + errcode + " (" + errmsg + ")");
		this.errcode = errcode;
	}

	public int errcode() {
		return this.errcode;
	}

	/** The code was expired, reused, malformed or not this app's: restart the login, never retry. */
	public boolean codeRejected() {
		return this.errcode == 40029 || this.errcode == 40163 || this.errcode == 42003;
	}

	/** Errors that say WeChat itself is struggling (as opposed to a bad code or our configuration). */
	public boolean upstreamFault() {
		return this.errcode == -1 || this.errcode == 45009 || this.errcode == 45011;
	}

}
