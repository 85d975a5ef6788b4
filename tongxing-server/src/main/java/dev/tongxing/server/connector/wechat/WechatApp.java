package dev.tongxing.server.connector.wechat;

/** A WeChat app the gateway may use; the secret is held decrypted in memory only. */
public record WechatApp(String appid, WechatAppKind kind, String secret) {

	@Override
	public String toString() {
		return "WechatApp[" + this.appid + ", " + this.kind + "]"; // never the secret
	}

}
