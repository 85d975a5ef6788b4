package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operators' queue page: behind the console's sign-in, each ticket's clock, the reply and close forms. */
class ComplaintQueuePageTest extends ComplaintGatewayTest {

	static final Pattern CSRF = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"");

	final HttpClient operator = HttpClient.newBuilder()
		.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
		.build();

	@Test
	void operatorsWorkTheQueueOnItsPage() throws Exception {
		dev.tongxing.server.testing.TestBrowser person = browser();
		failedWechatLogin(person);
		Opened overdue = submit(person, "13800138000", "wechat", "first, now overdue");
		this.clock.advance(Duration.ofMinutes(100));
		Opened near = submit("near@example.com", "second, twenty minutes left after the next step");
		this.clock.advance(Duration.ofMinutes(21)); // first: 1 min overdue; second: 99 min left

		assertThat(page("/admin/complaints", null).statusCode()).isEqualTo(401);
		assertThat(page("/admin/complaints", "admin:wrong").statusCode()).isEqualTo(401);
		// the JSON API's Basic operator does not open the console's pages
		assertThat(page("/admin/complaints", "admin:admin").statusCode()).isEqualTo(401);
		String operatorId = consoleSupport().accountId();
		HttpResponse<String> queue = page("/admin/complaints");
		assertThat(queue.statusCode()).isEqualTo(200);
		String body = queue.body();
		assertThat(body.indexOf(overdue.number())).isPositive().isLessThan(body.indexOf(near.number()));
		assertThat(body).contains("data-ticket=\"" + overdue.number() + "\" data-overdue=\"true\"")
			.contains("overdue by 1m")
			.containsPattern("1h 3[89]m left");

		HttpResponse<String> ticket = page("/admin/complaints/" + overdue.number());
		assertThat(ticket.body()).contains("+8613800138000")
			.contains("first, now overdue")
			.contains("data-cause=\"APP_CREDENTIALS_INVALID\"")
			.contains("refused our app&#39;s credentials")
			.contains("same browser session");
		// a viewer reads the ticket, but not the person's number in clear
		dev.tongxing.server.testing.TestBrowser viewer = dev.tongxing.server.testing.ConsoleSignIn.signedIn(
				dev.tongxing.server.testing.ConsoleSignIn.operator(this.context, this.issuer, "desk-viewer",
						dev.tongxing.server.console.OperatorRole.VIEWER), "en");
		HttpResponse<String> masked = viewer.get("/admin/complaints/" + overdue.number(), "en");
		assertThat(masked.statusCode()).isEqualTo(200);
		assertThat(masked.body()).contains("first, now overdue").contains("**********8000").doesNotContain("+8613800138000");

		HttpResponse<String> replied = post("/admin/complaints/" + overdue.number() + "/reply", ticket,
				"message=" + URLEncoder.encode("我们已经修复，请再试一次。", StandardCharsets.UTF_8));
		assertThat(replied.statusCode()).isEqualTo(302);
		HttpResponse<String> after = page("/admin/complaints/" + overdue.number());
		assertThat(after.body()).contains("我们已经修复，请再试一次。").contains("answered in 2h 1m").contains("(" + operatorId + ")");

		HttpResponse<String> empty = post("/admin/complaints/" + overdue.number() + "/reply", after, "message=");
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("Write a reply of 1 to 4000 characters.");

		// forms come from a fresh page
		HttpResponse<String> fresh = page("/admin/complaints/" + overdue.number());
		assertThat(post("/admin/complaints/" + overdue.number() + "/close", fresh, "").statusCode()).isEqualTo(302);
		assertThat(page("/admin/complaints").body()).doesNotContain("data-ticket=\"" + overdue.number());
		assertThat(page("/admin/complaints/TX-2026-ZZZZ-ZZZZ").statusCode()).isEqualTo(404);
		// every operator action is in the audit log, under the operator's name
		assertThat(this.jdbc.sql("""
				SELECT COUNT(*) FROM audit_entry WHERE actor = :actor AND details LIKE :n
				AND type IN ('complaint.viewed', 'complaint.replied', 'complaint.closed')""")
			.param("actor", "admin:" + operatorId)
			.param("n", "%" + overdue.number() + "%")
			.query(Long.class)
			.single()).isGreaterThanOrEqualTo(3);
	}

	HttpResponse<String> page(String path, String credentials) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path)).header("Accept-Language", "en");
		if (credentials != null) {
			String[] parts = credentials.split(":");
			request.header("Authorization", basic(parts[0], parts[1]));
		}
		return this.operator.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	/** A page as the desk's operator, signed in to the console, sees it. */
	HttpResponse<String> page(String path) {
		return console().get(path, "en");
	}

	HttpResponse<String> post(String path, HttpResponse<String> form, String body) throws Exception {
		Matcher csrf = CSRF.matcher(form.body());
		assertThat(csrf.find()).as("a CSRF token on the page").isTrue();
		List<Map.Entry<String, String>> fields = new ArrayList<>();
		for (String pair : body.isEmpty() ? new String[0] : body.split("&")) {
			String[] kv = pair.split("=", 2);
			fields.add(Map.entry(URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
					kv.length < 2 ? "" : URLDecoder.decode(kv[1], StandardCharsets.UTF_8)));
		}
		return console().postLanguage("en").submitAll(form, path, fields);
	}

}
