package dev.tongxing.server.connector.oidc;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;

/** Fetches a provider's JWKS through {@link UpstreamHttp}, so key downloads get the same timeouts and care. */
final class UpstreamKeysRetriever implements ResourceRetriever {

	private final String upstreamId;

	private final UpstreamHttp http;

	private final Duration timeout;

	UpstreamKeysRetriever(String upstreamId, UpstreamHttp http, Duration timeout) {
		this.upstreamId = upstreamId;
		this.http = http;
		this.timeout = timeout;
	}

	@Override
	public Resource retrieveResource(URL url) throws IOException {
		HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
		request.setAccept("application/jwk-set+json, application/json");
		UpstreamRequests.limit(request, this.timeout);
		HTTPResponse response = this.http.send(this.upstreamId, UpstreamHttp.UpstreamCall.JWKS, request);
		if (response.getStatusCode() != 200) {
			throw new IOException("JWKS answered HTTP " + response.getStatusCode());
		}
		return new Resource(response.getBody(), response.getHeaderValue("Content-Type"));
	}

}
