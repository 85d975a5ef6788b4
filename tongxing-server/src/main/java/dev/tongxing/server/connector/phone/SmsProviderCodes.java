package dev.tongxing.server.connector.phone;

import dev.tongxing.server.login.LoginFailureCause;

/**
 * What a provider's own error code means, in the one failure taxonomy: the providers answer most errors with
 * HTTP 200 and a code, so the code decides whether the provider is in trouble (counted against its circuit
 * breaker), limits us, refuses the number, or refuses our configuration.
 */
final class SmsProviderCodes {

	private SmsProviderCodes() {
	}

	/** Tencent Cloud API 3.0 error codes ({@code Response.Error.Code}) and SMS send-status codes. */
	static LoginFailureCause tencent(String code) {
		if (code.startsWith("InternalError")) {
			return LoginFailureCause.UPSTREAM_UNAVAILABLE;
		}
		if (code.startsWith("LimitExceeded") || code.equals("RequestLimitExceeded")
				|| code.equals("FailedOperation.InsufficientBalanceInSmsPackage")) {
			return LoginFailureCause.UPSTREAM_RATE_LIMITED;
		}
		if (code.equals("InvalidParameterValue.IncorrectPhoneNumber") || code.startsWith("UnsupportedOperation")) {
			return LoginFailureCause.USER_INPUT;
		}
		return LoginFailureCause.OUR_CONFIGURATION; // credentials, signature, template, …
	}

	/** Aliyun SMS codes: {@code isp.*} are the platform's own errors, {@code isv.*} concern the caller. */
	static LoginFailureCause aliyun(String code) {
		if (code.startsWith("isp.")) {
			return LoginFailureCause.UPSTREAM_UNAVAILABLE;
		}
		if (code.equals("isv.BUSINESS_LIMIT_CONTROL") || code.equals("isv.DAY_LIMIT_CONTROL")
				|| code.equals("isv.AMOUNT_NOT_ENOUGH") || code.equals("Throttling.User")) {
			return LoginFailureCause.UPSTREAM_RATE_LIMITED;
		}
		if (code.equals("isv.MOBILE_NUMBER_ILLEGAL") || code.equals("isv.MOBILE_COUNT_OVER_LIMIT")) {
			return LoginFailureCause.USER_INPUT;
		}
		return LoginFailureCause.OUR_CONFIGURATION;
	}

}
