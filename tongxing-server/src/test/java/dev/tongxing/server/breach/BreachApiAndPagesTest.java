package dev.tongxing.server.breach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The incidents' JSON API under {@code /admin/api/breaches} (bad input answered as JSON, never a stack trace),
 * the operators' pages in both languages, and the person's banner and notice page.
 */
class BreachApiAndPagesTest extends BreachTestSupport {

	static final JsonMapper JSON = JsonMapper.builder().build();

	@Test
	void theApiRecordsSelectsNotifiesAndReportsAndAnswersBadInputWithJson() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		TestBrowser browser = browser();
		Person person = signedIn(browser, "en");
		entry(person, "token.issued", now.minus(Duration.ofHours(1)));

		HttpResponse<String> bad = api("POST", "/admin/api/breaches", "{\"discoveredAt\": \"yesterday\"}");
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(bad.body()).get("error").asString()).isEqualTo("invalid_request");
		assertThat(bad.body()).contains("discoveredAt").doesNotContain("Exception").doesNotContain("at dev.");
		HttpResponse<String> missing = api("POST", "/admin/api/breaches", "{\"discoveredAt\": \"" + now + "\"}");
		assertThat(missing.statusCode()).isEqualTo(400);
		assertThat(JSON.readTree(missing.body()).get("problems").toString()).contains("categories").contains("cause")
			.contains("contact");
		assertThat(api("POST", "/admin/api/breaches", "{not json").statusCode()).isEqualTo(400);
		assertThat(api("GET", "/admin/api/breaches/BR-NONE", null).statusCode()).isEqualTo(404);

		String body = """
				{"discoveredAt": "%s", "categories": ["phone-number"],
				 "description": {"zh": "日志外泄。", "en": "Logs leaked."},
				 "cause": {"zh": "配置错误。", "en": "A misconfiguration."},
				 "harm": {"zh": "诈骗短信。", "en": "Scam messages."},
				 "measures": {"zh": "已关闭访问。", "en": "Access closed."},
				 "remedies": {"zh": "提防诈骗。", "en": "Beware of scams."},
				 "contact": "privacy@tongxing.example"}""".formatted(now);
		HttpResponse<String> created = api("POST", "/admin/api/breaches", body);
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
		String id = JSON.readTree(created.body()).get("id").asString();
		String criteria = """
				{"from": "%s", "to": "%s", "eventTypes": ["token.issued"], "clientIds": ["%s"]}"""
			.formatted(now.minus(Duration.ofDays(1)), now, this.client);
		HttpResponse<String> preview = api("POST", "/admin/api/breaches/" + id + "/selection/preview", criteria);
		assertThat(JSON.readTree(preview.body()).get("people").asInt()).as(preview.body()).isEqualTo(1);
		assertThat(api("POST", "/admin/api/breaches/" + id + "/notices", null).statusCode()).as("select first")
			.isEqualTo(409);
		HttpResponse<String> selected = api("POST", "/admin/api/breaches/" + id + "/selection", criteria);
		assertThat(JSON.readTree(selected.body()).get("status").asString()).as(selected.body()).isEqualTo("selected");
		HttpResponse<String> started = api("POST", "/admin/api/breaches/" + id + "/notices", null);
		assertThat(JSON.readTree(started.body()).get("inApp").get("published").asInt()).as(started.body()).isEqualTo(1);
		this.smsNotices.send();
		JsonNode people = JSON.readTree(api("GET", "/admin/api/breaches/" + id + "/people", null).body());
		assertThat(people.get("people").get(0).get("accountId").asString()).isEqualTo(person.id());
		assertThat(people.get("people").get(0).get("sms").get("status").asString()).isEqualTo("sent");
		assertThat(people.get("people").get(0).get("sms").get("deliveredAt").isNull()).isFalse();
		JsonNode notice = JSON.readTree(api("GET", "/admin/api/breaches/" + id + "/notice?lang=en", null).body());
		assertThat(notice.get("parts").get("remedies").get("text").asString()).isEqualTo("Beware of scams.");
		HttpResponse<String> report = api("POST", "/admin/api/breaches/" + id + "/reports",
				"{\"reportedAt\": \"" + now + "\", \"authority\": \"CAC\", \"reference\": \"R-1\"}");
		assertThat(report.statusCode()).as(report.body()).isEqualTo(201);
		assertThat(api("POST", "/admin/api/breaches/" + id + "/reports", "{\"authority\": \"CAC\"}").statusCode())
			.isEqualTo(400);
		JsonNode detail = JSON.readTree(api("GET", "/admin/api/breaches/" + id, null).body());
		assertThat(detail.get("reports").get(0).get("reference").asString()).isEqualTo("R-1");
		assertThat(detail.get("counts").get("sms").get("sent").asInt()).isEqualTo(1);

		// the person: a banner on the account page, then the whole notice, in their language
		HttpResponse<String> account = browser.get("/account", "en");
		assertThat(account.body()).contains("data-testid=\"important-notice\"").contains("/account/notices/" + id);
		HttpResponse<String> page = browser.get("/account/notices/" + id, "zh-CN");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("提防诈骗。").contains("可能造成的危害").contains("privacy@tongxing.example");
		assertThat(browser.get("/account", "en").body()).doesNotContain("data-testid=\"important-notice\"");
		assertThat(browser().get("/account/notices/" + id).statusCode()).as("signed out").isNotEqualTo(200);
	}

	@Test
	void theOperatorPagesWorkInBothLanguagesWithReadableErrors() throws Exception {
		Breach breach = this.breaches.record(draft(this.clock.instant()), "admin");
		for (String language : new String[] { "zh-CN", "en" }) {
			HttpResponse<String> list = page("/admin/breaches", language);
			assertThat(list.statusCode()).isEqualTo(200);
			assertThat(list.body()).contains("data-breach=\"" + breach.id() + "\"")
				.contains(language.equals("en") ? "Personal-information incidents" : "个人信息安全事件");
			HttpResponse<String> detail = page("/admin/breaches/" + breach.id(), language);
			assertThat(detail.body()).contains("data-testid=\"notice-zh\"").contains("data-testid=\"notice-en\"")
				.contains(breach.remedies().zh()).contains(breach.remedies().en())
				.contains(language.equals("en") ? "Preview" : "预览").contains("name=\"_csrf\"");
			assertThat(page("/admin/breaches/new", language).body()).contains("data-category=\"phone-number\"");
		}
		assertThat(page("/admin/breaches/BR-NONE", "en").statusCode()).isEqualTo(404);
		HttpResponse<String> unauthenticated = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(this.issuer + "/admin/breaches")).build(),
					HttpResponse.BodyHandlers.ofString());
		assertThat(unauthenticated.statusCode()).isEqualTo(401);
	}

	/** The console's pages take a console sign-in (Basic opens the JSON API only). */
	HttpResponse<String> page(String path, String language) throws Exception {
		return consolePage(path, language);
	}

}
