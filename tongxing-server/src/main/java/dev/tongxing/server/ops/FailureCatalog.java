package dev.tongxing.server.ops;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.UpstreamError;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * What each failure cause means and what to do about it, as message keys (zh-CN and English in
 * {@code i18n/ops}): an explanation and an action for operators, plain words for the public, and advice
 * for the exact upstream error when we know it. A connector's own codes are its own declared
 * {@link FailureAdvice}; the ways a call ends without an answer are the resilience layer's, shared by all.
 */
@Component
public class FailureCatalog {

	/** How a call ended without an answer, as every connector writes it ({@code ops.upstream.<reason>}). */
	static final Set<String> UNAVAILABLE_REASONS = Set.of("timeout", "network", "http_status", "malformed",
			"circuit_open", "bulkhead_full");

	private final Function<String, FailureAdvice> byMethod;

	private final Supplier<List<FailureAdvice>> all;

	@Autowired
	FailureCatalog(ObjectProvider<Connectors> connectors) {
		this(method -> connectors.getObject().failureAdvice(method), () -> connectors.getObject().failureAdvice());
	}

	FailureCatalog(Function<String, FailureAdvice> byMethod, Supplier<List<FailureAdvice>> all) {
		this.byMethod = byMethod;
		this.all = all;
	}

	/** A catalog that knows these connectors' advice, whatever their method. */
	static FailureCatalog of(List<FailureAdvice> advice) {
		return new FailureCatalog(method -> FailureAdvice.NONE, () -> advice);
	}

	/** @param upstreamError as recorded, e.g. "/sns/oauth2/access_token errcode 40125", or null */
	public FailureExplanation explain(LoginFailureCause cause, String upstreamError) {
		return explain(null, cause, upstreamError);
	}

	/**
	 * @param method the login method that failed, whose connector's advice is asked first; null if unknown
	 * @param upstreamError as recorded, e.g. "/sns/oauth2/access_token errcode 40125", or null
	 */
	public FailureExplanation explain(String method, LoginFailureCause cause, String upstreamError) {
		String key = key(cause);
		return new FailureExplanation(cause, "ops.cause." + key + ".explanation", "ops.cause." + key + ".action",
				"ops.cause." + key + ".public", upstreamAdviceKey(method, upstreamError));
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
	String upstreamAdviceKey(String upstreamError) {
		return upstreamAdviceKey(null, upstreamError);
	}

	private String upstreamAdviceKey(String method, String upstreamError) {
		String code = UpstreamError.codeOf(upstreamError);
		if (code == null) {
			return null;
		}
		if (UNAVAILABLE_REASONS.contains(code)) {
			return "ops.upstream." + code;
		}
		Optional<FailureAdvice.Advice> own = method == null ? Optional.empty() : this.byMethod.apply(method).advice(code);
		return own.or(() -> this.all.get().stream().flatMap(a -> a.advice(code).stream()).findFirst())
			.map(FailureAdvice.Advice::adviceKey)
			.orElse(null);
	}

	private static String key(LoginFailureCause cause) {
		return cause.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
