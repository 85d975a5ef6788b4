package dev.tongxing.server.connector.phone;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.json.JsonMapper;

/**
 * For in-house SMS services: POSTs {@code {"phone","code","text","template"}} as JSON to
 * {@code tongxing.sms.webhook-url}; any 2xx answer means accepted.
 */
class WebhookSmsSender implements SmsSender {

	private final URI url;

	private final SmsHttp http;

	private final JsonMapper json;

	WebhookSmsSender(URI url, SmsHttp http, JsonMapper json) {
		this.url = url;
		this.http = http;
		this.json = json;
	}

	@Override
	public boolean takesText() {
		return true;
	}

	@Override
	public String name() {
		return "webhook";
	}

	@Override
	public void send(SmsMessage message) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("phone", message.phone());
		body.put("code", message.code());
		body.put("text", message.text());
		body.put("template", message.template());
		HttpRequest request = this.http.request(this.url)
			.header("Content-Type", "application/json; charset=utf-8")
			.POST(HttpRequest.BodyPublishers.ofString(this.json.writeValueAsString(body)))
			.build();
		HttpResponse<String> response = this.http.send(request, "SMS webhook " + this.url);
		if (response.statusCode() / 100 != 2) {
			throw SmsDeliveryException.answered("SMS webhook " + this.url + " answered HTTP " + response.statusCode(),
					response.statusCode());
		}
	}

	@Override
	public java.util.Optional<Runnable> probe() {
		return java.util.Optional.of(() -> this.http.probe(this.url, "SMS webhook " + this.url));
	}

}
