package dev.tongxing.server.web;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * Headers every page gets: no framing anywhere (pages that take credentials or consent must not be
 * clickjacked), scripts and styles from our own origin only.
 */
public final class SecurityHeaders {

	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data: https:; "
			+ "script-src 'self'; style-src 'self'; frame-ancestors 'none'; "
			+ "base-uri 'none'; object-src 'none'";

	private SecurityHeaders() {
	}

	public static void apply(HttpSecurity http) throws Exception {
		http.headers(headers -> headers.frameOptions(frame -> frame.deny())
			.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer
				.policy(org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
	}

}
