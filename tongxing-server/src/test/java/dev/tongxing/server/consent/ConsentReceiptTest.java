package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.json.JsonMapper;

/**
 * ISO/IEC TS 27560 (PIPL Art. 14, 52): every consent record carries the standard's mandatory fields, and the
 * person downloads a receipt of each of their consents from {@code /account/consents} — nobody else's.
 */
@TestPropertySource(properties = "tongxing.privacy.consent-dialog=true")
class ConsentReceiptTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	JsonMapper json;

	/** Signs in to live-web with the dev method, agreeing to the policy in the dialog. */
	String signIn(TestBrowser browser, String name) {
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		HttpResponse<String> reached = browser
			.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), CALLBACK);
		assertThat(reached.uri().getPath()).isEqualTo("/privacy/consent");
		browser.follow(browser.submit(reached, "/privacy/consent", Map.of("decision", "accept", "item", "policy")),
				CALLBACK);
		return this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
	}

	@Test
	@SuppressWarnings("unchecked")
	void eachConsentHasADownloadableReceiptWithTheMandatoryFields() {
		TestBrowser browser = browser();
		String subject = signIn(browser, "r" + UUID.randomUUID().toString().substring(0, 8));

		HttpResponse<String> page = browser.get("/account/consents", "zh-CN");
		assertThat(page.body()).contains("data-testid=\"consent-receipts\"").contains("您的同意记录").contains("已同意")
			.contains("data-action=\"download-receipt\"");
		assertThat(browser.get("/account/consents", "en").body()).contains("Your consent records")
			.contains("Download receipt (JSON)");
		Matcher link = Pattern.compile("href=\"(/account/consents/receipts/([^\"]+)\\.json)\"").matcher(page.body());
		assertThat(link.find()).isTrue();

		HttpResponse<String> download = browser.get(link.group(1));
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment");
		Map<String, Object> receipt = this.json.readValue(download.body(), Map.class);
		assertThat(receipt).containsEntry("schema_version", "ISO/IEC TS 27560:2023").containsKey("receipt_id");
		Map<String, Object> header = (Map<String, Object>) receipt.get("header");
		assertThat(header).containsEntry("record_id", link.group(2)).containsEntry("pii_principal_id", subject);
		Map<String, Object> processing = (Map<String, Object>) receipt.get("processing");
		assertThat((Map<String, Object>) processing.get("privacy_notice")).containsEntry("version", "1")
			.containsKey("text_sha256");
		// the language of the request that gave consent: the test browser's form posts send no Accept-Language,
		// so the gateway's default, Chinese, applies
		assertThat(processing).containsEntry("language", "zh-CN")
			.containsEntry("storage_locations", List.of("CN"))
			.containsEntry("jurisdiction", "CN")
			.containsEntry("withdrawal_method", this.issuer + "/account/consents")
			.containsEntry("purposes", List.of("login", "account-security"));
		assertThat((List<String>) processing.get("pii_categories")).isNotEmpty();
		Map<String, Object> parties = (Map<String, Object>) receipt.get("parties");
		assertThat((List<Map<String, Object>>) parties.get("pii_controllers")).first()
			.satisfies(c -> assertThat(c).containsEntry("name", "Tongxing Demo Ltd.")
				.containsEntry("contact", "privacy@tongxing.example"));
		Map<String, Object> event = ((List<Map<String, Object>>) receipt.get("events")).get(0);
		assertThat(event).containsEntry("event_state", "given")
			.containsEntry("event_type", "general")
			.containsEntry("entity_id", "user:" + subject)
			.containsEntry("validity_duration", "until-withdrawn")
			.containsKey("event_time");

		// someone else's receipt is not found, whether or not it exists
		TestBrowser other = browser();
		signIn(other, "r" + UUID.randomUUID().toString().substring(0, 8));
		assertThat(other.get(link.group(1)).statusCode()).isEqualTo(404);
		assertThat(other.get("/account/consents/receipts/nope.json").statusCode()).isEqualTo(404);
	}

	@Test
	void everyConsentRecordHasTheMandatoryFields() {
		signIn(browser(), "r" + UUID.randomUUID().toString().substring(0, 8));
		List<Map<String, Object>> rows = this.jdbc.sql("SELECT * FROM consent_record").query().listOfRows();
		assertThat(rows).isNotEmpty().allSatisfy(row -> {
			for (String column : List.of("id", "subject", "policy_version", "policy_text_sha256", "purposes",
					"event_state", "consent_type", "method", "recorded_at", "schema_version", "language",
					"controller_name", "controller_contact", "storage_location", "jurisdiction", "withdrawal_method",
					"validity", "actor")) {
				assertThat(row.get(column) != null ? row.get(column) : row.get(column.toUpperCase()))
					.as(column).isNotNull();
			}
		});
	}

}
