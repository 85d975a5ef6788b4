package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Every complaint page, the person's and the operators', renders whole in Chinese and in English, also once a
 * ticket has been answered and when a ticket's page is long (longer than what the server buffers before it
 * starts sending).
 */
class ComplaintPagesInBothLanguagesTest extends ComplaintGatewayTest {

	static final String[] LANGUAGES = { "zh-CN", "en" };

	@Test
	void everyPageRendersWholeInBothLanguages() throws Exception {
		dev.tongxing.server.testing.TestBrowser person = browser();
		failedWechatLogin(person);
		Opened answered = submit(person, "13800138000", "wechat", "登录失败 " + "很长的描述。".repeat(150));
		Opened waiting = submit("waiting@example.com", "still waiting for an answer");
		// long replies make the operator's ticket page far longer than the response buffer
		for (int i = 0; i < 4; i++) {
			assertThat(reply(answered.number(), "reply " + i + " " + "a long answer. ".repeat(250)).statusCode())
				.isEqualTo(201);
		}

		for (String language : LANGUAGES) {
			HttpResponse<String> queue = operatorPage("/admin/complaints", language);
			assertThat(queue.statusCode()).as("queue in %s", language).isEqualTo(200);
			assertWhole(queue.body(), language);
			assertThat(queue.body()).contains("data-ticket=\"" + answered.number() + "\"")
				.contains("data-ticket=\"" + waiting.number() + "\"");

			for (Opened ticket : new Opened[] { answered, waiting }) {
				HttpResponse<String> page = operatorPage("/admin/complaints/" + ticket.number(), language);
				assertThat(page.statusCode()).as("ticket page in %s", language).isEqualTo(200);
				assertWhole(page.body(), language);
				assertThat(page.body()).contains("data-action=\"reply\"").contains("data-action=\"close\"")
					.contains("name=\"_csrf\"");
			}

			HttpResponse<String> personPage = person.get(answered.path(), language);
			assertThat(personPage.statusCode()).as("the person's ticket page in %s", language).isEqualTo(200);
			assertWhole(personPage.body(), language);
			HttpResponse<String> form = person.get("/login/help", language);
			assertThat(form.statusCode()).isEqualTo(200);
			assertWhole(form.body(), language);
		}

		// a closed ticket is listed and still renders
		assertThat(admin("POST", "/admin/api/complaints/" + answered.number() + "/close", null).statusCode())
			.isEqualTo(200);
		for (String language : LANGUAGES) {
			HttpResponse<String> queue = operatorPage("/admin/complaints", language);
			assertThat(queue.statusCode()).isEqualTo(200);
			assertWhole(queue.body(), language);
			HttpResponse<String> closed = operatorPage("/admin/complaints/" + answered.number(), language);
			assertThat(closed.statusCode()).isEqualTo(200);
			assertWhole(closed.body(), language);
		}
	}

	private static void assertWhole(String body, String language) {
		assertThat(body).as("page in %s", language).contains("</main>").contains("</html>")
			.contains("lang=\"" + language + "\"")
			.doesNotContain("Exception");
	}

	/** The console's pages take a console sign-in (Basic opens the JSON API only). */
	HttpResponse<String> operatorPage(String path, String language) throws Exception {
		return console().get(path, language);
	}

}
