package dev.tongxing.server.connector.phone;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Phone login in the browser, end to end: authorization request, login page, code by the log sender (read
 * from the dev page, as a developer would), sign-in, back to the client, tokens. Form posts carry no
 * Accept-Language, so their replies are in Chinese, the default.
 */
class PhoneLoginTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final String PHONE = "+8613800138000";

	private static final Pattern HIDDEN_PHONE = Pattern.compile("type=\"hidden\" name=\"phone\" value=\"([^\"]*)\"");

	private static final Pattern ALERT = Pattern.compile("role=\"alert\"[^>]*>([^<]*)<");

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@BeforeEach
	@AfterEach
	void freshState() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	@Test
	void signsInWithAPhoneAndComesBackToTheClientWithTokens() throws Exception {
		TestBrowser browser = browser();
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		HttpResponse<String> login = startAuthorization(browser, pkce);
		assertThat(login.body()).contains("data-provider=\"phone\"").contains("href=\"/login/phone\"");

		HttpResponse<String> sent = sendCode(browser, "138 0013 8000");
		assertThat(sent.body()).contains("role=\"status\"").contains("+86 138 0013 8000").doesNotContain("role=\"alert\"");
		URI redirect = signIn(browser, sent, devCode(browser, PHONE));
		assertThat(redirect.toString()).startsWith(CALLBACK);
		Map<String, String> query = TestBrowser.query(redirect);
		assertThat(query).containsKey("code").containsEntry("iss", this.issuer);

		String sub = subject(query.get("code"), pkce);
		assertThat(sub).isNotBlank().doesNotContain("138");
	}

	@Test
	void oneNumberWrittenThreeWaysIsOneAccount() throws Exception {
		String first = signInAs("13800138000");
		this.clock.advance(Duration.ofSeconds(61));
		String second = signInAs("+86 138 0013 8000");
		this.clock.advance(Duration.ofSeconds(61));
		String third = signInAs("+8613800138000");
		assertThat(second).isEqualTo(first);
		assertThat(third).isEqualTo(first);

		this.clock.advance(Duration.ofSeconds(61));
		assertThat(signInAs("13900139000")).as("another number, another account").isNotEqualTo(first);
	}

	@Test
	void fiveWrongCodesKillTheCode() {
		TestBrowser browser = browser();
		startAuthorization(browser, OAuthClient.Pkce.create());
		HttpResponse<String> page = sendCode(browser, "13800138000");
		String code = devCode(browser, PHONE);
		String wrong = code.equals("000000") ? "111111" : "000000";
		for (int tries = 4; tries >= 1; tries--) {
			page = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", wrong));
			assertThat(page.statusCode()).isEqualTo(200);
			assertThat(alert(page)).isEqualTo("验证码不正确，还可以再试 " + tries + " 次。");
		}
		page = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", wrong));
		assertThat(alert(page)).contains("已达到尝试次数上限");
		page = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", code));
		assertThat(page.statusCode()).as("the right code no longer works").isEqualTo(200);
		assertThat(alert(page)).isEqualTo("验证码错误次数过多，请重新获取验证码。");
	}

	@Test
	void aCodeWorksOnce() {
		TestBrowser browser = browser();
		startAuthorization(browser, OAuthClient.Pkce.create());
		HttpResponse<String> page = sendCode(browser, "13800138000");
		String code = devCode(browser, PHONE);
		assertThat(signIn(browser, page, code).toString()).startsWith(CALLBACK);

		TestBrowser other = browser();
		HttpResponse<String> otherPage = other.get("/login/phone");
		HttpResponse<String> again = other.submit(otherPage, "/login/phone/sign-in",
				PhoneConsentForm.agreed(otherPage, Map.of("phone", PHONE, "code", code)));
		assertThat(alert(again)).isEqualTo("该手机号没有有效的验证码，请重新获取。");
	}

	@Test
	void codesExpireAfterFiveMinutes() {
		TestBrowser browser = browser();
		startAuthorization(browser, OAuthClient.Pkce.create());
		HttpResponse<String> page = sendCode(browser, "13800138000");
		String code = devCode(browser, PHONE);
		this.clock.advance(Duration.ofMinutes(5));
		page = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", code));
		assertThat(alert(page)).isEqualTo("验证码已过期，请重新获取。");
	}

	@Test
	void aCodeStillWorksJustBeforeItExpires() {
		TestBrowser browser = browser();
		startAuthorization(browser, OAuthClient.Pkce.create());
		HttpResponse<String> page = sendCode(browser, "13800138000");
		String code = devCode(browser, PHONE);
		this.clock.advance(Duration.ofMinutes(5).minusSeconds(2));
		assertThat(signIn(browser, page, code).toString()).startsWith(CALLBACK);
	}

	@Test
	void sendLimitsAreExplainedOnThePage() {
		TestBrowser browser = browser();
		HttpResponse<String> page = sendCode(browser, "13800138000");
		page = browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, Map.of("phone", "13800138000")));
		assertThat(alert(page)).isEqualTo("获取验证码过于频繁，请在 60 秒后再试。");

		// another number from the same address is held back by the per-address limit
		this.clock.advance(Duration.ofSeconds(15));
		page = browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, Map.of("phone", "13900139000")));
		assertThat(alert(page)).isEqualTo("获取验证码过于频繁，请在 45 秒后再试。");

		this.clock.advance(Duration.ofSeconds(46));
		page = browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, Map.of("phone", "13900139000")));
		assertThat(page.body()).doesNotContain("role=\"alert\"").contains("role=\"status\"");
	}

	@Test
	void badInputGetsAReadableMessage() {
		TestBrowser browser = browser();
		HttpResponse<String> page = browser.get("/login/phone");
		HttpResponse<String> reply = browser.submit(page, "/login/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", "12345<script>")));
		assertThat(reply.statusCode()).isEqualTo(200);
		assertThat(alert(reply)).startsWith("这不是可以接收短信的手机号。");
		assertThat(reply.body()).doesNotContain("<script>").doesNotContain("Exception");

		reply = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", "12ab"));
		assertThat(alert(reply)).isEqualTo("请输入短信中的 6 位验证码。");
		reply = browser.submit(page, "/login/phone/sign-in", Map.of("phone", "", "code", "123456"));
		assertThat(alert(reply)).startsWith("这不是可以接收短信的手机号");
		reply = browser.submit(page, "/login/phone/sign-in", Map.of("phone", PHONE, "code", "123456"));
		assertThat(alert(reply)).isEqualTo("该手机号没有有效的验证码，请重新获取。");
	}

	@Test
	void pageHasStableHooksAndSpeaksChineseByDefault() {
		HttpResponse<String> page = browser().get("/login/phone", "zh-CN,zh;q=0.9");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("lang=\"zh-CN\"")
			.contains("手机号登录")
			.contains("data-testid=\"phone-login\"")
			.contains("name=\"phone\"")
			.contains("name=\"code\"")
			.contains("data-action=\"send-code\"")
			.contains("data-action=\"sign-in\"")
			.contains("name=\"_csrf\"");
		assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");
		assertThat(browser().get("/login/phone", "en").body()).contains("Sign in with your phone number");
	}

	@Test
	void formsWithoutCsrfTokenAreRefused() {
		HttpResponse<String> reply = browser().post("/login/phone/send", Map.of("phone", "13800138000"));
		assertThat(reply.statusCode()).isEqualTo(403);
	}

	@Test
	void theDatabaseHoldsNeitherCodesNorNumbers() {
		TestBrowser browser = browser();
		sendCode(browser, "13800138000");
		String code = devCode(browser, PHONE);
		var row = this.jdbc.sql("SELECT phone_digest, client_ip_digest, code_digest FROM phone_code")
			.query((rs, i) -> rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3))
			.single();
		assertThat(row).doesNotContain("13800138000").doesNotContain(code).doesNotContain("127.0.0.1");
	}

	// --- steps a person takes ---

	HttpResponse<String> startAuthorization(TestBrowser browser, OAuthClient.Pkce pkce) {
		URI authorize = new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce));
		HttpResponse<String> login = browser.follow(browser.get(authorize.toString()), CALLBACK);
		assertThat(login.uri().getPath()).isEqualTo("/login");
		return login;
	}

	HttpResponse<String> sendCode(TestBrowser browser, String typed) {
		HttpResponse<String> page = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", typed)));
		assertThat(sent.statusCode()).isEqualTo(200);
		return sent;
	}

	String devCode(TestBrowser browser, String e164) {
		HttpResponse<String> dev = browser.get("/login/phone/dev-sms");
		Matcher m = Pattern.compile("data-phone=\"" + Pattern.quote(e164) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(dev.body());
		assertThat(m.find()).as("a code for %s on the dev page", e164).isTrue();
		return m.group(1);
	}

	/** Submits the code with the number the page remembered; returns the redirect to the client. */
	URI signIn(TestBrowser browser, HttpResponse<String> page, String code) {
		Matcher phone = HIDDEN_PHONE.matcher(page.body());
		assertThat(phone.find()).isTrue();
		HttpResponse<String> reply = browser.submit(page, "/login/phone/sign-in",
				Map.of("phone", phone.group(1), "code", code));
		assertThat(reply.statusCode()).as("sign-in answer: %s", reply.body()).isEqualTo(302);
		HttpResponse<String> last = browser.follow(reply, CALLBACK);
		return last.uri().resolve(last.headers().firstValue("Location").orElseThrow());
	}

	String signInAs(String typed) throws Exception {
		TestBrowser browser = browser();
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		startAuthorization(browser, pkce);
		HttpResponse<String> sent = sendCode(browser, typed);
		URI redirect = signIn(browser, sent, devCode(browser, e164(typed)));
		return subject(TestBrowser.query(redirect).get("code"), pkce);
	}

	/** Enough E.164 for the mainland numbers these tests type. */
	static String e164(String typed) {
		String digits = typed.replaceAll("[^0-9]", "");
		return digits.startsWith("86") ? "+" + digits : "+86" + digits;
	}

	String subject(String code, OAuthClient.Pkce pkce) throws Exception {
		OAuthClient.Reply tokens = new OAuthClient(this.issuer).post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier",
						pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	static String alert(HttpResponse<String> page) {
		Matcher m = ALERT.matcher(page.body());
		assertThat(m.find()).as("an alert on the page: %s", page.body()).isTrue();
		return m.group(1).strip();
	}

}
