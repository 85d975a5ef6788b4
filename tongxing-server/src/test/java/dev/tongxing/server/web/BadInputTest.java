package dev.tongxing.server.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Bad input gets a clean answer, and the log a single WARN line at most: no ERROR, no stack trace. */
@ExtendWith(OutputCaptureExtension.class)
class BadInputTest extends GatewayTest {

	private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

	HttpResponse<String> get(String pathAndQuery, String accept) throws Exception {
		return this.http.send(HttpRequest.newBuilder(URI.create(this.issuer + pathAndQuery)).header("Accept", accept).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void theErrorPathAskedForDirectlyIsNotFound() throws Exception {
		HttpResponse<String> json = get("/error", "application/json");
		assertThat(json.statusCode()).isEqualTo(404);
		assertThat(json.body()).doesNotContain("999");
		HttpResponse<String> page = get("/error", "text/html");
		assertThat(page.statusCode()).isEqualTo(404);
		assertThat(page.body()).contains("data-testid=\"error-message\"").doesNotContain("999");
	}

	@Test
	void undecodableParametersAreA400AndOneWarnLine(CapturedOutput output) throws Exception {
		int before = output.length();
		for (String path : new String[] { "/login/wechat/callback?code=abc&state=%ff", "/login?error=%ff%fe",
				"/login/help?x=%E4%B8" }) {
			HttpResponse<String> response = get(path, "text/html");
			assertThat(response.statusCode()).as(path).isEqualTo(400);
			assertThat(response.body()).as(path).doesNotContain("Exception");
		}
		String log = output.toString().substring(before);
		assertThat(log).doesNotContain(" ERROR ").doesNotContain("\tat ").doesNotContain("Exception:");
		assertThat(log).contains("WARN").contains("whose parameters cannot be read");
	}

}
