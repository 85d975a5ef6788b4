package dev.tongxing.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** {@code /admin} is a page of its own for operators, in both languages; and every page has an icon. */
class AdminIndexTest extends GatewayTest {

	@Autowired
	ApplicationContext context;

	private TestBrowser console;

	/** As an operator signed in to the console (a viewer), or as anyone. */
	HttpResponse<String> get(String path, String language, boolean operator) throws Exception {
		if (operator) {
			if (this.console == null) {
				this.console = ConsoleSignIn.signedIn(
						ConsoleSignIn.operator(this.context, this.issuer, "index-viewer", OperatorRole.VIEWER), language);
			}
			return this.console.get(path, language);
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
			.header("Accept", "text/html")
			.header("Accept-Language", language);
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void operatorsStartOnAnIndexOfTheirPages() throws Exception {
		HttpResponse<String> en = get("/admin", "en", true);
		assertThat(en.statusCode()).isEqualTo(200);
		assertThat(en.body()).contains("data-testid=\"admin-index\"")
			.contains("data-page=\"analytics\"").contains("href=\"/admin/analytics\"")
			.contains("data-page=\"complaints\"").contains("href=\"/admin/complaints\"")
			.contains("data-page=\"people\"").contains("href=\"/admin/people\"")
			.contains("href=\"/v3/api-docs\"").contains("Login analytics");
		assertThat(get("/admin", "zh-CN", true).body()).contains("运营后台").contains("登录分析");
		assertThat(get("/admin", "en", false).statusCode()).isEqualTo(401);
		// the JSON API's Basic operator does not open it
		assertThat(HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin"))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build(), HttpResponse.BodyHandlers.ofString())
			.statusCode()).isEqualTo(401);
	}

	@Test
	void everyPageHasAnIcon() throws Exception {
		HttpResponse<byte[]> ico = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create(this.issuer + "/favicon.ico")).build(),
				HttpResponse.BodyHandlers.ofByteArray());
		assertThat(ico.statusCode()).isEqualTo(200);
		assertThat(ico.body()).startsWith(0, 0, 1, 0); // an ICO file's header
		assertThat(get("/favicon.svg", "en", false).body()).startsWith("<svg");
		assertThat(get("/login", "en", false).body()).contains("rel=\"icon\"");
		String status = get("/status", "en", false).body();
		assertThat(status).contains("rel=\"icon\"");
		// good news in the colour of good news (other tests' incidents may be open in this shared gateway)
		if (status.contains("data-testid=\"status-all-ok\"")) {
			assertThat(status).contains("class=\"notice ok\" role=\"status\" data-testid=\"status-all-ok\"");
		}
		assertThat(get("/status/status.css", "en", false).body()).contains(".notice.ok");
	}

}
