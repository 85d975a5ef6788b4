package dev.tongxing.server.export;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.consent.ConsentRecords;
import dev.tongxing.server.consent.PrivacyPolicies;
import dev.tongxing.server.deletion.DeletionTestConfig;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** "Download my data": one JSON file with every sign-in method in full, consents, apps, activity; audited. */
@Import(DeletionTestConfig.class) // shares the deletion tests' context (one gateway start fewer)
class PersonalDataExportTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ConsentRecords consentRecords;

	@Autowired
	AccountService accounts;

	@Autowired
	PrivacyPolicies policies;

	@Test
	void theFileHoldsEverythingAboutThePersonAndTheDownloadIsAudited() throws Exception {
		this.jdbc.sql("DELETE FROM phone_send_gate").update(); // the per-address SMS limit, from earlier tests
		String name = "x" + UUID.randomUUID().toString().substring(0, 8);
		String phone = "+86138" + String.format("%08d", Math.abs(name.hashCode()) % 100_000_000);
		TestBrowser browser = browser();
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		bindPhone(browser, phone);
		String userId = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		this.consentRecords.record(ConsentRecords.Decision.of(userId, this.policies.current(), ConsentRecords.State.GIVEN)
			.purposes(ConsentRecords.Purpose.LOGIN)
			.dataCategories(List.of("profile", "phone"))
			.by(ConsentRecords.Method.DIALOG)
			.build());
		OAuthClient oauth = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		URI redirect = browser.authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", pkce)),
				name, CALLBACK);
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri", CALLBACK,
				"code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(oauth.get("/userinfo", tokens.string("access_token")).status()).isEqualTo(200);

		assertThat(browser.get("/account").body()).contains("data-action=\"export\"").contains("href=\"/account/export\"");
		HttpResponse<String> download = browser.get("/account/export");
		assertThat(download.statusCode()).isEqualTo(200);
		assertThat(download.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/json");
		assertThat(download.headers().firstValue("Content-Disposition").orElseThrow())
			.startsWith("attachment")
			.contains("filename=\"tongxing-my-data-");
		assertThat(download.headers().firstValue("Cache-Control").orElseThrow()).contains("no-store");

		JsonNode json = JsonMapper.builder().build().readTree(download.body());
		assertThat(json.get("format").asString()).isEqualTo("tongxing-personal-data/1");
		assertThat(json.get("subject").asString()).isEqualTo(userId);
		assertThat(json.get("account").get("id").asString()).isEqualTo(userId);
		assertThat(json.get("account").get("display_name").asString()).isEqualTo(name);
		assertThat(json.get("account").get("created_at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
		assertThat(json.get("sign_in_methods").findValuesAsString("identifier")).contains(name, phone);
		assertThat(json.get("sign_in_methods").findValuesAsString("provider")).contains("dev", "phone");
		assertThat(json.get("consent_records").findValuesAsString("policy_version")).isNotEmpty();
		assertThat(json.get("consent_records").get(0).get("purposes").get(0).asString()).isEqualTo("login");

		JsonNode app = null;
		for (JsonNode candidate : json.get("connected_apps")) {
			if (candidate.get("client_id").asString().equals("live-web")) {
				app = candidate;
			}
		}
		assertThat(app).as("live-web among %s", json.get("connected_apps")).isNotNull();
		assertThat(app.get("connected").asBoolean()).isTrue();
		assertThat(app.get("tokens_issued").asInt()).isGreaterThanOrEqualTo(1);
		assertThat(app.get("received_claims").valueStream().map(JsonNode::asString)).contains("name", "phone_number");

		assertThat(json.get("activity").findValuesAsString("type")).contains("login.succeeded", "account.created",
				"account.linked", "token.issued", "personal-data.released", "consent.granted");
		assertThat(json.get("deletion_requests").isArray()).isTrue();
		assertThat(json.get("deletion_requests")).isEmpty();

		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'personal-data.read' AND subject = :u")
			.param("u", userId)
			.query(String.class)
			.list()).singleElement().asString().contains("\"channel\":\"export\"").contains("sign_in_methods");
	}

	@Test
	void signedOutThereIsNothingToDownload() {
		HttpResponse<String> answer = browser().get("/account/export");
		assertThat(answer.statusCode()).isEqualTo(302);
		assertThat(answer.headers().firstValue("Location").orElseThrow()).endsWith("/login");
	}

	void bindPhone(TestBrowser browser, String phone) {
		HttpResponse<String> page = browser.get("/account/phone");
		HttpResponse<String> sent = browser.submit(page, "/account/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		Matcher m = Pattern.compile("data-phone=\"" + Pattern.quote(phone) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(browser.get("/login/phone/dev-sms").body());
		assertThat(m.find()).as("a code for %s", phone).isTrue();
		browser.follow(browser.submit(sent, "/account/phone/verify", Map.of("phone", phone, "code", m.group(1))), null);
	}

}
