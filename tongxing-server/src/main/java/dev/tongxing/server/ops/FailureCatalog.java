package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginFailureCause;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What each failure cause means and what to do about it, as message keys (zh-CN and English in
 * {@code i18n/ops}): an explanation and an action for operators, plain words for the public, and advice
 * for the exact upstream error when we know it (WeChat errcodes, timeouts, …).
 */
@Component
public class FailureCatalog {

	/** WeChat errcodes with advice of their own ({@code ops.wechat.errcode.<code>}). */
	static final Set<Integer> WECHAT_ERRCODES = Set.of(-1, 40001, 40013, 40029, 40125, 40163, 40164, 40226, 40243,
			41002, 41004, 41008, 42003, 45009, 45011, 48001, 50001, 50002, 10005, 89503);

	/** How a call ended without an answer, as the connectors write it ({@code ops.upstream.<reason>}). */
	static final Set<String> UNAVAILABLE_REASONS = Set.of("timeout", "network", "http_status", "malformed",
			"circuit_open", "bulkhead_full");

	private static final Pattern ERRCODE = Pattern.compile("errcode (-?\\d{1,6})");

	private static final Pattern REASON = Pattern.compile(" ([a-z_]+)$");

	public FailureExplanation explain(LoginFailureCause cause, String upstreamError) {
		String key = key(cause);
		return new FailureExplanation(cause, "ops.cause." + key + ".explanation", "ops.cause." + key + ".action",
				"ops.cause." + key + ".public", upstreamAdviceKey(upstreamError));
	}

	/** Plain words for the public status page. */
	public String publicKey(LoginFailureCause cause) {
		return "ops.cause." + key(cause) + ".public";
	}

	/** Failures that are the person's own doing, which say nothing about the method's health. */
	public boolean personsOwnDoing(LoginFailureCause cause) {
		return cause == LoginFailureCause.USER_CANCELLED || cause == LoginFailureCause.USER_INPUT
				|| cause == LoginFailureCause.CONSENT_DECLINED;
	}

	/** Advice for the exact upstream error, e.g. "/sns/oauth2/access_token errcode 40125"; null if none. */
	static String upstreamAdviceKey(String upstreamError) {
		if (upstreamError == null) {
			return null;
		}
		Matcher errcode = ERRCODE.matcher(upstreamError);
		if (errcode.find()) {
			int code = Integer.parseInt(errcode.group(1));
			return WECHAT_ERRCODES.contains(code) ? "ops.wechat.errcode." + code : null;
		}
		Matcher reason = REASON.matcher(upstreamError);
		if (reason.find() && UNAVAILABLE_REASONS.contains(reason.group(1))) {
			return "ops.upstream." + reason.group(1);
		}
		return null;
	}

	private static String key(LoginFailureCause cause) {
		return cause.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
