package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.UpstreamError;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Maps what WeChat said (or failed to say) to the one failure taxonomy, keeping the exact error for
 * operators. The errcodes WeChat documents are declared once, here, as the connector's failure advice: the
 * shared cause of each and its advice for operators ({@code ops.wechat.errcode.<code>} in {@code i18n/ops}).
 */
public final class WechatFailures {

	private static final Set<Integer> CODE = Set.of(40029, 40163, 42003, 41008);

	private static final Set<Integer> CREDENTIALS = Set.of(40001, 40013, 40125, 40243, 41002, 41004, 40164, 89503);

	private static final Set<Integer> NOT_AUTHORISED = Set.of(48001, 50001, 50002, 10005);

	private static final Set<Integer> RATE = Set.of(45009, 45011);

	private static final int SYSTEM_BUSY = -1;

	private static final int RISK_CONTROL = 40226;

	/** Every errcode with a cause and advice of its own, by its code as failure records write it. */
	public static final FailureAdvice ADVICE = advice();

	private WechatFailures() {
	}

	private static FailureAdvice advice() {
		Map<String, FailureAdvice.Advice> codes = new HashMap<>();
		Map<Set<Integer>, LoginFailureCause> groups = Map.of(CODE, LoginFailureCause.CODE_EXPIRED_OR_REUSED,
				CREDENTIALS, LoginFailureCause.APP_CREDENTIALS_INVALID, NOT_AUTHORISED,
				LoginFailureCause.APP_NOT_AUTHORISED, RATE, LoginFailureCause.UPSTREAM_RATE_LIMITED,
				Set.of(RISK_CONTROL), LoginFailureCause.RISK_CONTROL, Set.of(SYSTEM_BUSY),
				LoginFailureCause.UPSTREAM_UNAVAILABLE);
		groups.forEach((errcodes, cause) -> errcodes
			.forEach(code -> codes.put(code(code), new FailureAdvice.Advice(cause, "ops.wechat.errcode." + code))));
		codes.put(WechatUnavailableException.Reason.QUOTA.code(),
				new FailureAdvice.Advice(LoginFailureCause.UPSTREAM_QUOTA, "ops.wechat.quota"));
		return new FailureAdvice(codes);
	}

	/** An errcode as failure records write it. */
	static String code(int errcode) {
		return "errcode " + errcode;
	}

	public static LoginFailureCause cause(WechatException failure) {
		if (failure instanceof WechatApiException api) {
			return ADVICE.advice(code(api.errcode()))
				.map(FailureAdvice.Advice::cause)
				.orElse(LoginFailureCause.OUR_CONFIGURATION);
		}
		if (failure instanceof WechatUnavailableException unavailable) {
			return switch (unavailable.reason()) {
				case NETWORK -> LoginFailureCause.NETWORK;
				case QUOTA -> LoginFailureCause.UPSTREAM_QUOTA;
				default -> LoginFailureCause.UPSTREAM_UNAVAILABLE;
			};
		}
		return LoginFailureCause.UPSTREAM_UNAVAILABLE;
	}

	/** The exact upstream error, for operators: never shown to the person. */
	public static UpstreamError error(WechatException failure) {
		if (failure instanceof WechatApiException api) {
			return new UpstreamError(failure.endpoint(), code(api.errcode()));
		}
		if (failure instanceof WechatUnavailableException unavailable) {
			return new UpstreamError(failure.endpoint(), unavailable.reason().code());
		}
		return new UpstreamError(failure.endpoint(), "error");
	}

	/** {@link #error}'s text, as failure records keep it. */
	static String detail(WechatException failure) {
		if (failure instanceof WechatApiException || failure instanceof WechatUnavailableException) {
			return error(failure).text();
		}
		return failure.endpoint();
	}

}
