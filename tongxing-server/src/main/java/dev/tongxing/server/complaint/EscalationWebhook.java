package dev.tongxing.server.complaint;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * POSTs one escalation as JSON to {@code tongxing.complaints.escalation.webhook-url}; any 2xx means
 * delivered. The body never holds the person's contact or words: ticket number, level, deadline, method,
 * state and the queue's address.
 */
@Component
class EscalationWebhook {

	private final ComplaintProperties.Escalation settings;

	private final JsonMapper json;

	private final HttpClient http;

	EscalationWebhook(ComplaintProperties properties, JsonMapper json) {
		this.settings = properties.escalation();
		this.json = json;
		this.http = HttpClient.newBuilder()
			.connectTimeout(this.settings.timeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	boolean configured() {
		return this.settings.webhookUrl() != null;
	}

	URI url() {
		return this.settings.webhookUrl();
	}

	String region() {
		return this.settings.region();
	}

	/** @throws EscalationFailed when the receiver did not take it */
	void post(Map<String, Object> body) {
		HttpRequest request = HttpRequest.newBuilder(this.settings.webhookUrl())
			.timeout(this.settings.timeout())
			.header("Content-Type", "application/json; charset=utf-8")
			.header("User-Agent", "tongxing-complaints")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
		try {
			HttpResponse<Void> response = this.http.send(request, HttpResponse.BodyHandlers.discarding());
			if (response.statusCode() / 100 != 2) {
				throw new EscalationFailed("HTTP " + response.statusCode());
			}
		}
		catch (IOException ex) {
			throw new EscalationFailed(ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage()));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new EscalationFailed("interrupted");
		}
	}

	static final class EscalationFailed extends RuntimeException {

		EscalationFailed(String message) {
			super(message);
		}

	}

}
