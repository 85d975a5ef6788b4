package dev.tongxing.server.connector.wechat;

/**
 * WeChat identified a snapshot-page user (is_snapshotuser = 1): a virtual openid and unionid that differ
 * from the person's real ones. No account may be created or linked from them.
 */
public class SnapshotUserException extends RuntimeException {

	public SnapshotUserException() {
		super("WeChat snapshot-page user: virtual ids, no account");
	}

}
