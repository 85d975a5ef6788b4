package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PIPL Art. 29-30: separate consent to the phone number, with why it is necessary and how it affects the
 * person, before the number is sent anywhere — on the phone login page, on {@code /account/phone} and for a
 * mini program's {@code phone_code} — and the record names the notice's text versions.
 */
class Pipl29SeparateConsentBeforePhoneTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final Pattern ALERT = Pattern.compile("role=\"alert\"[^>]*>([^<]*)<");

	@Autowired
	SmsSender sms;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	PhoneNumberConsent consent;

	@BeforeEach
	void freshState() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	static String randomPhone(String prefix) {
		return prefix + String.format("%03d", (int) (Math.random() * 1000));
	}

	boolean smsWentTo(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone().stream().anyMatch(m -> m.phone().equals(e164));
	}

	int codeRows() {
		return this.jdbc.sql("SELECT COUNT(*) FROM phone_code").query(Integer.class).single()
				+ this.jdbc.sql("SELECT COUNT(*) FROM phone_send_gate").query(Integer.class).single();
	}

	List<Map<String, Object>> phoneConsents(String subject) {
		return this.jdbc.sql("""
				SELECT * FROM consent_record WHERE subject = :s AND notice_id = 'phone-number' ORDER BY recorded_at""")
			.param("s", subject)
			.query()
			.listOfRows();
	}

	java.util.Set<String> phoneConsentIds() {
		return new java.util.HashSet<>(this.jdbc.sql("SELECT id FROM consent_record WHERE notice_id = 'phone-number'")
			.query(String.class)
			.list());
	}

	/** The phone-number consent records written since {@code before} was taken. */
	List<Map<String, Object>> recordedSince(java.util.Set<String> before) {
		return this.jdbc.sql("SELECT * FROM consent_record WHERE notice_id = 'phone-number'")
			.query()
			.listOfRows()
			.stream()
			.filter(row -> !before.contains((String) row.get("id")))
			.toList();
	}

	static String alert(HttpResponse<String> page) {
		Matcher m = ALERT.matcher(page.body());
		return m.find() ? m.group(1) : null;
	}

	void assertRecordNamesTheNotice(Map<String, Object> row, String method) {
		SeparateNotice notice = this.consent.notice();
		assertThat(row.get("notice_id")).isEqualTo("phone-number");
		assertThat(row.get("necessity_text_version")).isEqualTo(notice.necessityVersion());
		assertThat(row.get("impact_text_version")).isEqualTo(notice.impactVersion());
		assertThat(row.get("consent_type")).isEqualTo("separate");
		assertThat(row.get("event_state")).isEqualTo("GIVEN");
		assertThat(row.get("data_categories")).isEqualTo("phone-number");
		assertThat(row.get("method")).isEqualTo(method);
	}

	@Test
	void thePhoneLoginPageSendsNothingBeforeSeparateConsent() {
		String phone = randomPhone("+8613500135");
		TestBrowser browser = browser();
		HttpResponse<String> page = browser.get("/login/phone");
		SeparateNotice notice = this.consent.notice();
		// the notice, its own box, nothing ticked, both texts the law asks for
		assertThat(page.body()).contains("data-testid=\"phone-consent\"")
			.contains("data-consent-item=\"phone-number\"")
			.contains("data-notice-version=\"" + notice.version() + "\"")
			.contains(notice.necessity().get("en"))
			.contains(notice.impact().get("en"))
			.doesNotContain("checked");

		// the number without the box: no SMS, no code, not even a send-limit row
		HttpResponse<String> refused = browser.submit(page, "/login/phone/send", Map.of("phone", phone.substring(3)));
		assertThat(alert(refused)).isEqualTo("请先阅读关于手机号码的告知并勾选同意：在你同意之前，号码不会被发送到任何地方。");
		assertThat(smsWentTo(phone)).isFalse();
		assertThat(codeRows()).isZero();

		// a box ticked for another text (an old page) is not consent to this one
		HttpResponse<String> stale = browser.submit(page, "/login/phone/send",
				Map.of("phone", phone.substring(3), "phone-consent", "0000000000000000.0000000000000000"));
		assertThat(alert(stale)).startsWith("请先阅读关于手机号码的告知");
		assertThat(smsWentTo(phone)).isFalse();
		assertThat(codeRows()).isZero();

		java.util.Set<String> before = phoneConsentIds();
		// nor is the number checked against a code without it
		HttpResponse<String> signIn = browser.submit(page, "/login/phone/sign-in",
				Map.of("phone", phone.substring(3), "code", "123456"));
		assertThat(alert(signIn)).startsWith("请先阅读关于手机号码的告知");

		// ticked: sent, and the page says the consent was given
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone.substring(3))));
		assertThat(sent.body()).contains("role=\"status\"").contains("data-testid=\"phone-consent-given\"");
		assertThat(smsWentTo(phone)).isTrue();
		String code = ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(phone))
			.findFirst()
			.orElseThrow()
			.code();
		// nobody is signed in yet: nothing recorded until the phone signs someone in
		assertThat(recordedSince(before)).isEmpty();
		browser.submit(sent, "/login/phone/sign-in", Map.of("phone", phone, "code", code));
		List<Map<String, Object>> records = recordedSince(before);
		assertThat(records).hasSize(1);
		assertRecordNamesTheNotice(records.get(0), "separate-notice");
		assertThat(phoneConsents((String) records.get(0).get("subject"))).hasSize(1);
	}

	HttpResponse<String> devSignIn(TestBrowser browser, String name) {
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		return browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)),
				CALLBACK);
	}

	@Test
	void bindingAPhoneSendsNothingBeforeSeparateConsent() {
		String phone = randomPhone("+8613400134");
		TestBrowser browser = browser();
		devSignIn(browser, "binder-" + phone.substring(10));
		HttpResponse<String> page = browser.get("/account/phone");
		assertThat(page.body()).contains("data-consent-item=\"phone-number\"").doesNotContain("checked");
		java.util.Set<String> before = phoneConsentIds();

		HttpResponse<String> refused = browser.submit(page, "/account/phone/send", Map.of("phone", phone));
		assertThat(alert(refused)).startsWith("请先阅读关于手机号码的告知");
		assertThat(smsWentTo(phone)).isFalse();
		assertThat(codeRows()).isZero();
		HttpResponse<String> verify = browser.submit(page, "/account/phone/verify", Map.of("phone", phone, "code", "123456"));
		assertThat(alert(verify)).startsWith("请先阅读关于手机号码的告知");

		HttpResponse<String> sent = browser.submit(page, "/account/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		assertThat(sent.body()).contains("role=\"status\"");
		assertThat(smsWentTo(phone)).isTrue();
		// signed in: recorded at once, before the number went to the SMS provider
		List<Map<String, Object>> records = recordedSince(before);
		assertThat(records).hasSize(1);
		assertRecordNamesTheNotice(records.get(0), "separate-notice");
	}

	Reply miniProgramExchange(String user, String... extra) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, user));
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MINI_PROGRAM_APPID);
		form.put("scope", "openid profile phone");
		form.put("policy_version", "1");
		for (int i = 0; i < extra.length; i += 2) {
			form.put(extra[i], extra[i + 1]);
		}
		return new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret", form);
	}

	@Test
	void aMiniProgramPhoneCodeIsRefusedWithoutSeparateConsentAndNothingGoesUpstream() {
		String user = DefaultFixture.ALICE;
		this.emulator.control().clearRequests();
		Reply refused = miniProgramExchange(user, "phone_code",
				this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, user));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("consent_required");
		assertThat(refused.json()).containsEntry("phone_notice_version", this.consent.notice().version())
			.containsEntry("phone_notice_uri", this.issuer + "/privacy/notices/phone-number.json");
		assertThat((String) refused.json().get("error_description")).contains("phone_consent");
		// neither the login code nor the phone code went to WeChat
		assertThat(this.emulator.control().requests("/sns/jscode2session")).isEmpty();
		assertThat(this.emulator.control().requests("/wxa/business/getuserphonenumber")).isEmpty();

		Reply stale = miniProgramExchange(user, "phone_code",
				this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, user), "phone_consent",
				"0000000000000000.0000000000000000");
		assertThat(stale.error()).isEqualTo("consent_required");
		assertThat(this.emulator.control().requests("/wxa/business/getuserphonenumber")).isEmpty();

		// without phone_code no phone consent is asked for
		assertThat(miniProgramExchange(user).status()).isEqualTo(200);

		java.util.Set<String> before = phoneConsentIds();
		Reply bound = miniProgramExchange(user, "phone_code",
				this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, user), "phone_consent",
				PhoneConsentForm.nativeVersion(this.issuer));
		assertThat(bound.status()).as(bound.body()).isEqualTo(200);
		// the number was fetched (another test's account may hold this fixture user's number already)
		assertThat(bound.json().get("phone_binding")).isIn("bound", "conflict");
		assertThat(this.emulator.control().requests("/wxa/business/getuserphonenumber")).hasSize(1);
		List<Map<String, Object>> records = recordedSince(before);
		assertThat(records).hasSize(1);
		assertRecordNamesTheNotice(records.get(0), "native-app");
	}

	@Test
	void theNoticeIsPublishedForNativeAppsWithItsVersions() {
		Map<String, Object> json = new OAuthClient(this.issuer).get("/privacy/notices/phone-number.json", null).json();
		SeparateNotice notice = this.consent.notice();
		assertThat(json).containsEntry("version", notice.version())
			.containsEntry("necessity_text_version", notice.necessityVersion())
			.containsEntry("impact_text_version", notice.impactVersion())
			.containsEntry("parameter", "phone_consent");
		assertThat(notice.version()).isEqualTo(notice.necessityVersion() + "." + notice.impactVersion());
	}

	@Test
	void thePhonePagesAskForItInChineseAndEnglishInABrowser() {
		for (String language : List.of("zh-CN", "en")) {
			String phone = randomPhone(language.equals("en") ? "+8613300133" : "+8613200132");
			this.jdbc.sql("DELETE FROM phone_send_gate").update();
			try (Chromium browser = Chromium.start(language)) {
				browser.open(this.issuer + "/privacy/notices/phone-number");
				String impact = browser.waitFor("[data-testid=separate-notice] [data-testid=phone-consent-impact]")
					.getText();
				assertThat(impact).isEqualTo(this.consent.notice().impact().get(language));

				browser.open(this.issuer + "/login/phone");
				assertThat(browser.waitFor("[data-testid=phone-consent-necessity]").getText())
					.isEqualTo(this.consent.notice().necessity().get(language));
				browser.waitFor("input[name=phone]").sendKeys(phone.substring(3));
				// without the box the browser does not even submit the form
				browser.click("[data-action=send-code]");
				assertThat(browser.driver().findElements(org.openqa.selenium.By.cssSelector("[role=status]"))).isEmpty();
				assertThat(smsWentTo(phone)).isFalse();
				if (!language.equals("zh-CN")) {
					continue; // one send per address and minute: the English page is checked up to here
				}
				browser.click("[data-consent-item=phone-number]");
				browser.click("[data-action=send-code]");
				browser.waitFor("[data-testid=phone-consent-given]");
				assertThat(browser.driver().getPageSource()).contains("role=\"status\"");
				assertThat(smsWentTo(phone)).isTrue();
			}
		}
	}

}
