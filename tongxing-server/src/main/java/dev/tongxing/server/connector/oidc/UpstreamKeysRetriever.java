package dev.tongxing.server.connector.oidc;

import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import java.io.IOException;
import java.net.URL;
import java.time.Duration;

/**
 * Fetches a provider's JWKS through the upstream's guarded sender, so key downloads get the same timeouts,
 * breaker and care as every other call.
 */
final class UpstreamKeysRetriever implements ResourceRetriever {

	/** Sends one call to the provider, guarded. */
	@FunctionalInterface
	interface Sender {

		HTTPResponse send(UpstreamHttp.UpstreamCall call, HTTPRequest request) throws IOException;

	}

	private final Sender http;

	private final Duration timeout;

	UpstreamKeysRetriever(Sender http, Duration timeout) {
		this.http = http;
		this.timeout = timeout;
	}

	@Override
	public Resource retrieveResource(URL url) throws IOException {
		HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, url);
		request.setAccept("application/jwk-set+json, application/json");
		UpstreamRequests.limit(request, this.timeout);
		HTTPResponse response = this.http.send(UpstreamHttp.UpstreamCall.JWKS, request);
		if (response.getStatusCode() != 200) {
			throw new IOException("JWKS answered HTTP " + response.getStatusCode());
		}
		return new Resource(response.getBody(), response.getHeaderValue("Content-Type"));
	}

}
