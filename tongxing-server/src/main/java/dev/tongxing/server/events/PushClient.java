package dev.tongxing.server.events;

import com.nimbusds.jose.util.JSONObjectUtils;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/**
 * One HTTP delivery: a Security Event Token pushed per RFC 8935 ({@code application/secevent+jwt}, 202 means
 * accepted, 400 carries {@code err}/{@code description} and is final), or a logout token POSTed as the
 * {@code logout_token} form field (OpenID Connect Back-Channel Logout 1.0: 200 or 204 means done, 400 is
 * final). Server errors, other answers, timeouts and connection failures are worth another try.
 */
class PushClient {

	enum Outcome {

		DELIVERED, REJECTED, RETRY

	}

	record Attempt(Outcome outcome, Integer httpStatus, String error) {
	}

	private final HttpClient http;

	private final Duration requestTimeout;

	PushClient(Duration connectTimeout, Duration requestTimeout) {
		this.http = HttpClient.newBuilder()
			.connectTimeout(connectTimeout)
			.followRedirects(HttpClient.Redirect.NEVER) // a token goes only where the client registered
			.build();
		this.requestTimeout = requestTimeout;
	}

	Attempt send(String kind, String endpoint, String token, String authorization) {
		boolean logout = Outbox.LOGOUT.equals(kind);
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
			.timeout(this.requestTimeout)
			.header("Accept", "application/json");
		if (logout) {
			request.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("logout_token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)));
		}
		else {
			request.header("Content-Type", "application/secevent+jwt").POST(HttpRequest.BodyPublishers.ofString(token));
			if (authorization != null) {
				request.header("Authorization", authorization);
			}
		}
		HttpResponse<String> response;
		try {
			response = this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (HttpTimeoutException ex) {
			return new Attempt(Outcome.RETRY, null, "timed out: " + ex.getMessage());
		}
		catch (IOException ex) {
			return new Attempt(Outcome.RETRY, null, "connection failed: " + ex.getClass().getSimpleName()
					+ (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Attempt(Outcome.RETRY, null, "interrupted");
		}
		int status = response.statusCode();
		boolean accepted = logout ? status == 200 || status == 204 : status == 202;
		if (accepted) {
			return new Attempt(Outcome.DELIVERED, status, null);
		}
		if (status == 400) {
			return new Attempt(Outcome.REJECTED, status, describe(response.body()));
		}
		return new Attempt(Outcome.RETRY, status, "HTTP " + status);
	}

	/** RFC 8935 §2.3: {@code {"err": "invalid_audience", "description": "…"}}. */
	static String describe(String body) {
		if (body != null && body.trim().startsWith("{")) {
			try {
				Map<String, Object> json = JSONObjectUtils.parse(body);
				Object err = json.get("err");
				Object description = json.get("description");
				if (err != null) {
					return err + (description == null ? "" : ": " + description);
				}
			}
			catch (java.text.ParseException ignored) {
				// not the RFC's error object: say what there is
			}
		}
		String text = body == null ? "" : body.strip();
		return "rejected (400)" + (text.isEmpty() ? "" : ": " + (text.length() > 200 ? text.substring(0, 200) : text));
	}

}
