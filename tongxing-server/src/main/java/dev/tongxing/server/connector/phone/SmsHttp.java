package dev.tongxing.server.connector.phone;

import dev.tongxing.server.resilience.Repeat;
import dev.tongxing.server.resilience.UpstreamCallFailure;
import dev.tongxing.server.resilience.UpstreamCalls;
import dev.tongxing.server.resilience.UpstreamErrors;
import dev.tongxing.server.resilience.UpstreamGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The HTTP calls of the senders: one client, a timeout on every call, every call guarded (circuit breaker,
 * bulkhead and deadline per provider; never retried — a second try could send a second message), failures as
 * {@link SmsDeliveryException}.
 */
final class SmsHttp {

	/** The provider's own trouble: unreachable, or an HTTP 5xx. A refusal (bad signature, template) is not. */
	static final UpstreamErrors ERRORS = new UpstreamErrors() {
		@Override
		public boolean upstreamFault(Throwable failure) {
			return failure instanceof UncheckedIOException
					|| (failure instanceof ServerError);
		}

		@Override
		public String outcome(Throwable failure) {
			return failure instanceof UncheckedIOException ? "network"
					: failure instanceof ServerError ? "http_status" : "refused";
		}
	};

	private final HttpClient client;

	private final Duration timeout;

	private final UpstreamGuard guard;

	private final String provider;

	/** @param provider the sender's name ({@code tencent}, {@code aliyun}, {@code webhook}): the guard's app */
	SmsHttp(UpstreamCalls calls, Duration timeout, String provider) {
		this(calls, "sms", timeout, provider);
	}

	/**
	 * @param upstream the guard's upstream: {@code sms}, or {@code captcha} for the SMS challenge's provider
	 * (breakers {@code captcha:tencent}, {@code captcha:aliyun})
	 */
	SmsHttp(UpstreamCalls calls, String upstream, Duration timeout, String provider) {
		this.client = HttpClient.newBuilder()
			.connectTimeout(timeout)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		this.timeout = timeout;
		this.guard = calls.guard(upstream, timeout, ERRORS);
		this.provider = provider;
	}

	HttpRequest.Builder request(URI uri) {
		return HttpRequest.newBuilder(uri).timeout(this.timeout);
	}

	/** @param name the provider as operators know it, for messages ("Tencent Cloud SMS") */
	HttpResponse<String> send(HttpRequest request, String name) {
		return send(request, name, response -> false);
	}

	/**
	 * @param providerFault whether an answer (beyond HTTP 5xx) reports the provider's own trouble, e.g. an
	 * internal-error code in an HTTP 200: such answers count against the provider's circuit breaker, and are
	 * returned for the sender to read as usual
	 */
	HttpResponse<String> send(HttpRequest request, String name,
			java.util.function.Predicate<HttpResponse<String>> providerFault) {
		return call("send", Repeat.NEVER, request, name, providerFault);
	}

	/**
	 * The availability probe: a {@code HEAD} request to the provider's endpoint, which sends nothing. Any answer
	 * below 500 means the provider is reachable and serving (it may well refuse an unsigned HEAD).
	 * @throws IllegalStateException with a short message for operators, when it is not
	 */
	void probe(URI endpoint, String name) {
		HttpResponse<String> response;
		try {
			response = call("probe", Repeat.SAFE, request(endpoint).method("HEAD", HttpRequest.BodyPublishers.noBody())
				.build(), name, answer -> false);
		}
		catch (SmsDeliveryException ex) {
			throw new IllegalStateException(this.provider + " " + ex.upstreamError() + ": " + ex.getMessage());
		}
		if (response.statusCode() >= 500) {
			throw new IllegalStateException(this.provider + " http_status: " + name + " answered HTTP "
					+ response.statusCode());
		}
	}

	private HttpResponse<String> call(String endpoint, Repeat repeat, HttpRequest request, String name,
			java.util.function.Predicate<HttpResponse<String>> providerFault) {
		try {
			return this.guard.call(this.provider, endpoint, repeat, () -> {
				HttpResponse<String> response;
				try {
					response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new UncheckedIOException(new IOException("interrupted", ex));
				}
				if (response.statusCode() >= 500 || providerFault.test(response)) {
					throw new ServerError(response);
				}
				return response;
			});
		}
		catch (ServerError ex) {
			// counted against the provider by the breaker; the sender reads the answer as usual
			return ex.response;
		}
		catch (UncheckedIOException ex) {
			if (ex.getCause() instanceof java.net.http.HttpTimeoutException) {
				throw new SmsDeliveryException(name + " did not answer within " + this.timeout, "timeout", ex.getCause());
			}
			throw new SmsDeliveryException(name + " did not answer (" + ex.getCause() + ")", "network", ex.getCause());
		}
		catch (UpstreamCallFailure ex) {
			String message = ex.kind() == UpstreamCallFailure.Kind.TIMEOUT
					? name + " did not answer within " + this.guard.timeout() : name + ": " + ex.getMessage();
			throw new SmsDeliveryException(message, ex.kind().code(), ex);
		}
	}

	/** Host header value as the JDK client sends it, for signatures that cover it. */
	static String host(URI uri) {
		return uri.getPort() == -1 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
	}

	/** An HTTP 5xx or a provider fault: carried out of the guard as a failure so that the breaker counts it. */
	private static final class ServerError extends RuntimeException {

		private final transient HttpResponse<String> response;

		ServerError(HttpResponse<String> response) {
			super("HTTP " + response.statusCode(), null, false, false);
			this.response = response;
		}

	}

}
