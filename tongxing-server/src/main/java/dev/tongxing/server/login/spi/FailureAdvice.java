package dev.tongxing.server.login.spi;

import dev.tongxing.server.login.LoginFailureCause;
import java.util.Map;
import java.util.Optional;

/**
 * A connector's own error codes, as data: the shared failure cause each stands for, and the message key of
 * the advice operators get for it (both languages in {@code i18n/ops}). The core looks codes up here; it
 * never knows them.
 *
 * @param codes by the code as in {@link UpstreamError#code()}
 */
public record FailureAdvice(Map<String, Advice> codes) {

	public static final FailureAdvice NONE = new FailureAdvice(Map.of());

	public FailureAdvice {
		codes = Map.copyOf(codes);
	}

	/**
	 * @param cause the shared cause the code stands for
	 * @param adviceKey the message key of what to do about it
	 */
	public record Advice(LoginFailureCause cause, String adviceKey) {
	}

	public Optional<Advice> advice(String code) {
		return code == null ? Optional.empty() : Optional.ofNullable(this.codes.get(code));
	}

}
