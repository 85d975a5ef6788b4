package dev.tongxing.server.analytics;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;

/** Where a person signs in from, as the analytics count it. */
enum Platform {

	WEB("web"), WECHAT_BROWSER("wechat-browser"), APP("app"), MINI_PROGRAM("mini-program");

	final String key;

	Platform(String key) {
		this.key = key;
	}

	/**
	 * @param request the request the login ended on, or null when there is none
	 * @param nativeApp the login ended at the token endpoint (a token exchange by an app's backend)
	 */
	static Platform of(HttpServletRequest request, boolean nativeApp) {
		String agent = request == null ? null : request.getHeader("User-Agent");
		String ua = agent == null ? "" : agent.toLowerCase(Locale.ROOT);
		if (ua.contains("miniprogram")) {
			return MINI_PROGRAM;
		}
		if (nativeApp) {
			return APP;
		}
		return ua.contains("micromessenger") ? WECHAT_BROWSER : WEB;
	}

	static boolean known(String key) {
		for (Platform p : values()) {
			if (p.key.equals(key)) {
				return true;
			}
		}
		return false;
	}

}
