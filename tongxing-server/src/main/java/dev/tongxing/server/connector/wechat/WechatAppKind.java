package dev.tongxing.server.connector.wechat;

/** The four kinds of WeChat app, each with its own login flow. */
public enum WechatAppKind {

	/** 网站应用: QR login in the browser, scope snsapi_login. */
	WEBSITE,

	/** 移动应用: the Open SDK in a native app hands over a code. */
	MOBILE,

	/** 公众号: web authorization inside WeChat's own browser (snsapi_base / snsapi_userinfo). */
	OFFICIAL_ACCOUNT,

	/** 小程序: wx.login code, exchanged with jscode2session. */
	MINI_PROGRAM;

	/** Codes of these kinds reach the gateway through token exchange, not a browser redirect. */
	public boolean nativeApp() {
		return this == MOBILE || this == MINI_PROGRAM;
	}

}
