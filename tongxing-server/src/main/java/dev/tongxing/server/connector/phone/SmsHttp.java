package dev.tongxing.server.connector.phone;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The HTTP calls of the senders: one client, a timeout on every call, failures as {@link SmsDeliveryException}. */
final class SmsHttp {

	private final HttpClient client;

	private final Duration timeout;

	SmsHttp(Duration timeout) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.timeout = timeout;
	}

	HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(this.timeout);
	}

	HttpResponse<String> send(HttpRequest request, String provider) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new SmsDeliveryException(provider + " did not answer (" + ex + ")", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SmsDeliveryException(provider + " call interrupted", ex);
		}
	}

	/** Host header value as the JDK client sends it, for signatures that cover it. */
	static String host(URI uri) {
		return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
	}

}
