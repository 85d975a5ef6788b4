package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The operators' queue page: behind Basic authentication, each ticket's clock, the reply and close forms. */
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
		HttpResponse<String> queue = page("/admin/complaints", "admin:admin");
		assertThat(queue.statusCode()).isEqualTo(200);
		String body = queue.body();
		assertThat(body.indexOf(overdue.number())).isPositive().isLessThan(body.indexOf(near.number()));
		assertThat(body).contains("data-ticket=\"" + overdue.number() + "\" data-overdue=\"true\"")
			.contains("overdue by 1m")
			.containsPattern("1h 3[89]m left");

		HttpResponse<String> ticket = page("/admin/complaints/" + overdue.number(), "admin:admin");
		assertThat(ticket.body()).contains("+8613800138000")
			.contains("first, now overdue")
			.contains("data-cause=\"APP_CREDENTIALS_INVALID\"")
			.contains("refused our app&#39;s credentials")
			.contains("same browser session");

		HttpResponse<String> replied = post("/admin/complaints/" + overdue.number() + "/reply", ticket,
				"message=" + URLEncoder.encode("我们已经修复，请再试一次。", StandardCharsets.UTF_8));
		assertThat(replied.statusCode()).isEqualTo(302);
		HttpResponse<String> after = page("/admin/complaints/" + overdue.number(), "admin:admin");
		assertThat(after.body()).contains("我们已经修复，请再试一次。").contains("answered in 2h 1m").contains("(admin)");

		HttpResponse<String> empty = post("/admin/complaints/" + overdue.number() + "/reply", after, "message=");
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("Write a reply of 1 to 4000 characters.");

		// each post authenticates anew, which renews the session and its CSRF token: forms come from a fresh page
		HttpResponse<String> fresh = page("/admin/complaints/" + overdue.number(), "admin:admin");
		assertThat(post("/admin/complaints/" + overdue.number() + "/close", fresh, "").statusCode()).isEqualTo(302);
		assertThat(page("/admin/complaints", "admin:admin").body()).doesNotContain("data-ticket=\"" + overdue.number());
		assertThat(page("/admin/complaints/TX-2026-ZZZZ-ZZZZ", "admin:admin").statusCode()).isEqualTo(404);
		// every operator action is in the audit log, under the operator's name
		assertThat(this.jdbc.sql("""
				SELECT COUNT(*) FROM audit_entry WHERE actor = 'admin:admin' AND details LIKE :n
				AND type IN ('complaint.viewed', 'complaint.replied', 'complaint.closed')""")
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

	HttpResponse<String> post(String path, HttpResponse<String> form, String body) throws Exception {
		Matcher csrf = CSRF.matcher(form.body());
		assertThat(csrf.find()).as("a CSRF token on the page").isTrue();
		String withToken = (body.isEmpty() ? "" : body + "&") + "_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
		return this.operator.send(HttpRequest.newBuilder(URI.create(this.issuer + path))
			.header("Authorization", basic("admin", "admin"))
			.header("Accept-Language", "en")
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(withToken))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

}
