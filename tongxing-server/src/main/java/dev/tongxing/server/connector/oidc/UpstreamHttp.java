package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;

/**
 * Every HTTP call to an OpenID Connect provider goes through here (discovery, keys, token, userinfo), with
 * its timeouts already set, and always under the provider's guard ({@code OidcUpstream}: circuit breaker,
 * bulkhead, deadline, retries for the calls safe to repeat): the seam where tests or a proxy plug in.
 */
public interface UpstreamHttp {

	/**
	 * @param upstreamId the configured upstream the call is for
	 * @throws IOException when the provider cannot be reached or does not answer in time
	 */
	HTTPResponse send(String upstreamId, UpstreamCall call, HTTPRequest request) throws IOException;

	/** What a call is for. */
	enum UpstreamCall {

		DISCOVERY, JWKS, TOKEN, USERINFO

	}

}
