package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.login.LoginFailureCause;
import java.util.Set;

/** Maps what WeChat said (or failed to say) to the one failure taxonomy, keeping the exact error for operators. */
final class WechatFailures {

	private static final Set<Integer> CODE = Set.of(40029, 40163, 42003, 41008);

	private static final Set<Integer> CREDENTIALS = Set.of(40001, 40013, 40125, 40243, 41002, 41004, 40164, 89503);

	private static final Set<Integer> NOT_AUTHORISED = Set.of(48001, 50001, 50002, 10005);

	private static final Set<Integer> RATE = Set.of(45009, 45011);

	private WechatFailures() {
	}

	static LoginFailureCause cause(WechatException failure) {
		if (failure instanceof WechatApiException api) {
			int code = api.errcode();
			if (CODE.contains(code)) {
				return LoginFailureCause.CODE_EXPIRED_OR_REUSED;
			}
			if (CREDENTIALS.contains(code)) {
				return LoginFailureCause.APP_CREDENTIALS_INVALID;
			}
			if (NOT_AUTHORISED.contains(code)) {
				return LoginFailureCause.APP_NOT_AUTHORISED;
			}
			if (RATE.contains(code)) {
				return LoginFailureCause.UPSTREAM_RATE_LIMITED;
			}
			if (code == 40226) {
				return LoginFailureCause.RISK_CONTROL;
			}
			return code == -1 ? LoginFailureCause.UPSTREAM_UNAVAILABLE : LoginFailureCause.OUR_CONFIGURATION;
		}
		if (failure instanceof WechatUnavailableException unavailable) {
			return unavailable.reason() == WechatUnavailableException.Reason.NETWORK ? LoginFailureCause.NETWORK
					: LoginFailureCause.UPSTREAM_UNAVAILABLE;
		}
		return LoginFailureCause.UPSTREAM_UNAVAILABLE;
	}

	/** The exact upstream error, for operators: never shown to the person. */
	static String detail(WechatException failure) {
		if (failure instanceof WechatApiException api) {
			return failure.endpoint() + " errcode " + api.errcode();
		}
		if (failure instanceof WechatUnavailableException unavailable) {
			return failure.endpoint() + " " + unavailable.reason().code();
		}
		return failure.endpoint();
	}

}
