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

	/**
	 * The policy for one page that loads a third party's widget (the SMS challenge's captcha): the usual one,
	 * with {@code sources} also allowed for scripts, frames, connections and styles (widgets style themselves
	 * inline). Set on that response only; every other page keeps the strict policy.
	 */
	public static String policyAllowing(java.util.List<String> sources) {
		java.util.List<String> clean = sources.stream()
			.filter(source -> source.matches("https?://[A-Za-z0-9*.-]+(:[0-9]+)?"))
			.toList();
		if (clean.isEmpty()) {
			return CONTENT_SECURITY_POLICY;
		}
		String list = String.join(" ", clean);
		return "default-src 'self'; img-src 'self' data: https:; script-src 'self' " + list + "; style-src 'self' "
				+ "'unsafe-inline' " + list + "; frame-src " + list + "; connect-src 'self' " + list
				+ "; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";
	}

	/** Sets {@link #policyAllowing} on this response (Spring Security's writer leaves a policy already set). */
	public static void allowOnThisPage(jakarta.servlet.http.HttpServletResponse response, java.util.List<String> sources) {
		response.setHeader("Content-Security-Policy", policyAllowing(sources));
	}

	public static void apply(HttpSecurity http) throws Exception {
		http.headers(headers -> headers.frameOptions(frame -> frame.deny())
			.contentSecurityPolicy(csp -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
			.referrerPolicy(referrer -> referrer
				.policy(org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy.NO_REFERRER)));
	}

}
