package dev.tongxing.server.login;

import java.time.Instant;

/**
 * Published (as a Spring application event) for every login attempt that reached an end, success or
 * failure, by every login method. Metrics, incident detection and the audit log listen to it; nothing
 * here may fail the login.
 *
 * @param method {@code wechat}, {@code phone}, {@code oidc:<id>}, {@code dev}
 * @param app the upstream app (a WeChat appid, an upstream id), or null
 * @param userId the account signed in to, on success
 * @param cause why it failed, on failure
 * @param upstreamError the exact upstream error for operators (e.g. {@code errcode 40125},
 * {@code HTTP 502}, {@code timeout}), never shown to the person
 * @param clientIp the person's address, for complaint tickets and risk analysis
 */
public record LoginAttempted(String method, String app, boolean success, String userId, LoginFailureCause cause,
		String upstreamError, String clientIp, Instant at) {

	public static LoginAttempted succeeded(String method, String app, String userId, String clientIp) {
		return new LoginAttempted(method, app, true, userId, null, null, clientIp, Instant.now());
	}

	public static LoginAttempted failed(String method, String app, LoginFailureCause cause, String upstreamError,
			String clientIp) {
		return new LoginAttempted(method, app, false, null, cause, upstreamError, clientIp, Instant.now());
	}

}
