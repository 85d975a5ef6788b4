package dev.tongxing.server.breach;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * An incident's record can be corrected while nobody has been told (API and page, audited with the fields that
 * changed); once the notices went out it cannot, since what people read is the record.
 */
class BreachAmendTest extends BreachTestSupport {

	static final JsonMapper JSON = JsonMapper.builder().build();

	static String body(Instant discovered, String causeEn, String contact) {
		return """
				{"discoveredAt": "%s", "categories": ["phone-number"],
				 "description": {"zh": "日志外泄。", "en": "Logs leaked."},
				 "cause": {"zh": "配置错误。", "en": "%s"},
				 "harm": {"zh": "诈骗短信。", "en": "Scam messages."},
				 "measures": {"zh": "已关闭访问。", "en": "Access closed."},
				 "remedies": {"zh": "提防诈骗。", "en": "Beware of scams."},
				 "contact": "%s"}""".formatted(discovered, causeEn, contact);
	}

	@Test
	void correctedBeforeTheNoticesNeverAfter() {
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.SECONDS);
		HttpResponse<String> created = api("POST", "/admin/api/breaches", body(now, "A misconfiguration.", "privacy@tongxing.example"));
		String id = JSON.readTree(created.body()).get("id").asString();

		HttpResponse<String> amended = api("PUT", "/admin/api/breaches/" + id,
				body(now, "A firewall rule left out in a change.", "privacy@tongxing.example"));
		assertThat(amended.statusCode()).as(amended.body()).isEqualTo(200);
		assertThat(this.breaches.find(id).orElseThrow().cause().en()).isEqualTo("A firewall rule left out in a change.");
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'breach.amended' AND details LIKE :b")
			.param("b", "%" + id + "%")
			.query(String.class)
			.single()).contains("\"fields\":\"cause\"").doesNotContain("firewall");
		// the same record again changes nothing and records nothing
		api("PUT", "/admin/api/breaches/" + id, body(now, "A firewall rule left out in a change.", "privacy@tongxing.example"));
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'breach.amended' AND details LIKE :b")
			.param("b", "%" + id + "%")
			.query(Long.class)
			.single()).isEqualTo(1);
		HttpResponse<String> invalid = api("PUT", "/admin/api/breaches/" + id, body(now, "x", ""));
		assertThat(invalid.statusCode()).isEqualTo(400);
		assertThat(invalid.body()).contains("contact").doesNotContain("Exception");
		assertThat(api("PUT", "/admin/api/breaches/BR-NONE", body(now, "x", "y")).statusCode()).isEqualTo(404);

		// on the page, in Chinese: the form comes filled in, the correction is saved
		try (Chromium operator = Chromium.start("zh-CN")) {
			ConsoleSignIn.signIn(operator, consoleAdmin());
			operator.open(this.issuer + "/admin/breaches/" + id);
			operator.click("[data-action=edit-breach]");
			assertThat(operator.waitFor("#causeEn").getAttribute("value")).isEqualTo("A firewall rule left out in a change.");
			assertThat(operator.waitFor("[data-action=amend]").getText()).isEqualTo("保存更正");
			operator.waitFor("#contact").clear();
			operator.waitFor("#contact").sendKeys("dpo@tongxing.example");
			operator.click("[data-action=amend]");
			assertThat(operator.waitFor("[data-testid=notice-zh]").getText()).contains("dpo@tongxing.example");
		}
		assertThat(this.breaches.find(id).orElseThrow().contact()).isEqualTo("dpo@tongxing.example");

		// once people were told, the record stands
		Person person = person(false);
		entry(person, "login.succeeded", now.minus(Duration.ofHours(1)));
		this.breaches.select(id, window(now.minus(Duration.ofDays(1)), now.plusSeconds(1)), "admin");
		this.breaches.startNotices(id, "admin");
		HttpResponse<String> late = api("PUT", "/admin/api/breaches/" + id, body(now, "Something else.", "x@y.example"));
		assertThat(late.statusCode()).isEqualTo(409);
		assertThat(JSON.readTree(late.body()).get("error").asString()).isEqualTo("conflict");
		assertThat(late.body()).contains("The notices went out");
		assertThat(consolePage("/admin/breaches/" + id, "en").body()).doesNotContain("data-action=\"edit-breach\"");
	}

}
