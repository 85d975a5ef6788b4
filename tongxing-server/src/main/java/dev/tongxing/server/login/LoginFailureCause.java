package dev.tongxing.server.login;

/**
 * Why a login failed: one fixed taxonomy for every method, so failures can be counted, explained to
 * operators and turned into plain words for people.
 */
public enum LoginFailureCause {

	/** The person cancelled or denied on the upstream's page. */
	USER_CANCELLED,

	/** The upstream code expired, was already used, or is malformed (WeChat 40029, 40163, 42003). */
	CODE_EXPIRED_OR_REUSED,

	/** The login's state was unknown, expired, used, or came back to another browser. */
	STATE_INVALID,

	/** Our app credentials at the upstream are wrong (WeChat 40001 on token fetch, 40013, 40125, 40243). */
	APP_CREDENTIALS_INVALID,

	/** The app is not authorised for this API or its qualification lapsed (WeChat 48001, 10005, 50001). */
	APP_NOT_AUTHORISED,

	/** The upstream's rate limit or quota (WeChat 45009, 45011). */
	UPSTREAM_RATE_LIMITED,

	/**
	 * Our own budget of the upstream's quota could not serve the login in time, or we are backing off an API
	 * the upstream said was over its quota: no call was made.
	 */
	UPSTREAM_QUOTA,

	/** The upstream is down, busy or too slow (WeChat -1, HTTP 5xx, timeouts, open circuit). */
	UPSTREAM_UNAVAILABLE,

	/** The network or TLS between us and the upstream. */
	NETWORK,

	/** Something in our own configuration (unknown app, missing sender, …). */
	OUR_CONFIGURATION,

	/** The person declined consent. */
	CONSENT_DECLINED,

	/** The upstream's or our risk control refused the person (WeChat 40226, send limits). */
	RISK_CONTROL,

	/** The person typed something wrong (a wrong or expired SMS code, an invalid number). */
	USER_INPUT

}
