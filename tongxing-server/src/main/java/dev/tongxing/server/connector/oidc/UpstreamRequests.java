package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import java.time.Duration;

final class UpstreamRequests {

	private UpstreamRequests() {
	}

	/** Bounds how long a call may take: a slow provider must not hold a login (or a thread) for long. */
	static HTTPRequest limit(HTTPRequest request, Duration timeout) {
		int millis = (int) timeout.toMillis();
		request.setConnectTimeout(millis);
		request.setReadTimeout(millis);
		request.setFollowRedirects(false);
		return request;
	}

}
