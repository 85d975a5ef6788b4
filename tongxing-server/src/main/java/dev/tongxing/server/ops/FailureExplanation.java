package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginFailureCause;

/**
 * A failure cause explained, as message keys.
 *
 * @param explanationKey what happened, for operators
 * @param actionKey what the operator should do
 * @param publicKey plain words for the public status page
 * @param upstreamAdviceKey advice for the exact upstream error (a WeChat errcode, a timeout), or null
 */
public record FailureExplanation(LoginFailureCause cause, String explanationKey, String actionKey, String publicKey,
		String upstreamAdviceKey) {

}
