package dev.tongxing.server.connector.oidc;

import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import org.springframework.stereotype.Component;

/** Sends each call as it is, once. */
@Component
class DirectUpstreamHttp implements UpstreamHttp {

	@Override
	public HTTPResponse send(String upstreamId, UpstreamCall call, HTTPRequest request) throws IOException {
		if (request.getConnectTimeout() <= 0 || request.getReadTimeout() <= 0) {
			throw new IllegalArgumentException("Calls to an upstream need timeouts");
		}
		return request.send();
	}

}
