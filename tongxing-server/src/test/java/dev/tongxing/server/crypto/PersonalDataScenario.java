package dev.tongxing.server.crypto;

import dev.tongxing.server.testing.PhoneConsentForm;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;

/**
 * One person signing in every way the gateway offers, with a phone number, openids, a UnionID, a nickname and
 * an avatar of their own; then every column of every table is read and searched for any of them in clear.
 */
final class PersonalDataScenario {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	/** A person made up for one run: nothing they are is anywhere before the run. */
	record Person(String user, String nickname, String avatar, String national, String e164, String websiteOpenid,
			String miniOpenid, String unionid) {

		/** Every form in which one of their values could be stored or logged. */
		Map<String, String> secrets() {
			Map<String, String> all = new LinkedHashMap<>();
			all.put("phone (E.164)", this.e164);
			all.put("phone (national)", this.national);
			all.put("phone (spaced)", this.national.substring(0, 3) + " " + this.national.substring(3, 7) + " "
					+ this.national.substring(7));
			all.put("phone (dashed)", this.national.substring(0, 3) + "-" + this.national.substring(3, 7) + "-"
					+ this.national.substring(7));
			all.put("website openid", this.websiteOpenid);
			all.put("mini-program openid", this.miniOpenid);
			all.put("unionid", this.unionid);
			all.put("nickname", this.nickname);
			all.put("avatar", this.avatar);
			return all;
		}
	}

	private static final Pattern HIDDEN_PHONE = Pattern.compile("type=\"hidden\" name=\"phone\" value=\"([^\"]*)\"");

	private final String issuer;

	private final WechatEmulator emulator;

	private final OAuthClient oauth;

	PersonalDataScenario(String issuer, WechatEmulator emulator) {
		this.issuer = issuer;
		this.emulator = emulator;
		this.oauth = new OAuthClient(issuer);
	}

	Person newPerson() {
		String tag = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36);
		String national = "139" + String.format(Locale.ROOT, "%08d", ThreadLocalRandom.current().nextInt(100_000_000));
		String user = "pii-" + tag;
		String nickname = "隐私测试" + tag;
		String avatar = "https://thirdwx.qlogo.cn/mmopen/vi_32/pii-" + tag + "/132";
		this.emulator.control().addUser(new EmulatorConfig.UserConfig(user, nickname, avatar, "+86 " + national));
		return new Person(user, nickname, avatar, national, "+86" + national,
				this.emulator.control().openid(DefaultFixture.WEBSITE_APPID, user),
				this.emulator.control().openid(DefaultFixture.MINI_PROGRAM_APPID, user),
				this.emulator.control().unionid(DefaultFixture.WEBSITE_APPID, user));
	}

	/**
	 * The person signs in with the website QR code, then with the mini program (binding the phone with a
	 * phone_code), then with the phone and an SMS code, and finally signs out with the ID token as hint. Each time
	 * the tokens and userinfo must carry their real data: sealed at rest, never lost.
	 * @return the subject
	 */
	String signInEveryWay(Person person) throws Exception {
		// website QR code: the account is made, with the nickname and avatar; "not now" to binding a phone
		TestBrowser qr = new TestBrowser(this.issuer);
		Pkce qrPkce = Pkce.create();
		qr.follow(qr.get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", qrPkce))
			.toString()), CALLBACK);
		URI wechat = URI.create(qr.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, person.user(), "snsapi_login");
		HttpResponse<String> back = qr.follow(
				qr.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state")),
				CALLBACK);
		if (back.statusCode() == 200 && back.body().contains("data-testid=\"phone-invitation\"")) {
			back = qr.follow(qr.get("/account/phone/skip"), CALLBACK);
		}
		Reply website = tokens(back, qrPkce);
		String sub = claims(website.string("id_token")).getSubject();
		assertEverythingComesOut(person, website, false);

		// mini program: wx.login code + getPhoneNumber code binds the phone to the same account (UnionID)
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, person.user()));
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MINI_PROGRAM_APPID);
		form.put("scope", "openid profile phone offline_access");
		form.put("policy_version", "1");
		form.put("phone_code", this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, person.user()));
		form.put("phone_consent", PhoneConsentForm.nativeVersion(this.issuer));
		Reply mini = this.oauth.post("/oauth2/token", "live-app", "app-secret", form);
		assertThat(mini.status()).as(mini.body()).isEqualTo(200);
		assertThat(mini.json()).containsEntry("phone_binding", "bound");
		assertThat(claims(mini.string("id_token")).getSubject()).isEqualTo(sub);
		assertEverythingComesOut(person, mini, true);
		// a refresh reads the stored authorization back: its sealed columns must open
		Reply refreshed = this.oauth.post("/oauth2/token", "live-app", "app-secret",
				Map.of("grant_type", "refresh_token", "refresh_token", mini.string("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
		assertEverythingComesOut(person, refreshed, true);

		// phone and SMS code, in the browser, the number typed the way people type it
		TestBrowser browser = new TestBrowser(this.issuer);
		Pkce pkce = Pkce.create();
		HttpResponse<String> login = browser.follow(browser.get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", pkce))
			.toString()), CALLBACK);
		assertThat(login.uri().getPath()).isEqualTo("/login");
		HttpResponse<String> phonePage = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(phonePage, "/login/phone/send",
				PhoneConsentForm.agreed(phonePage, Map.of("phone", person.national().substring(0, 3) + " "
						+ person.national().substring(3, 7) + " " + person.national().substring(7))));
		assertThat(sent.statusCode()).isEqualTo(200);
		Matcher hidden = HIDDEN_PHONE.matcher(sent.body());
		assertThat(hidden.find()).isTrue();
		HttpResponse<String> reply = browser.submit(sent, "/login/phone/sign-in",
				Map.of("phone", hidden.group(1), "code", devCode(browser, person.e164())));
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(302);
		Reply web = tokens(browser.follow(reply, CALLBACK), pkce);
		assertThat(claims(web.string("id_token")).getSubject()).isEqualTo(sub);
		assertEverythingComesOut(person, web, true);

		// RP-initiated logout with the ID token as hint: found through its keyed hash
		HttpResponse<String> logout = browser.get("/connect/logout?id_token_hint=" + web.string("id_token")
				+ "&post_logout_redirect_uri=http://127.0.0.1:3000/");
		assertThat(logout.statusCode()).as(logout.body()).isEqualTo(302);
		assertThat(logout.headers().firstValue("Location").orElseThrow()).startsWith("http://127.0.0.1:3000/");
		return sub;
	}

	private Reply tokens(HttpResponse<String> last, Pkce pkce) {
		URI redirect = last.uri().resolve(last.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith(CALLBACK);
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return tokens;
	}

	private void assertEverythingComesOut(Person person, Reply tokens, boolean phone) throws Exception {
		JWTClaimsSet id = claims(tokens.string("id_token"));
		assertThat(id.getStringClaim("name")).isEqualTo(person.nickname());
		assertThat(id.getStringClaim("picture")).isEqualTo(person.avatar());
		if (phone) {
			assertThat(id.getStringClaim("phone_number")).isEqualTo(person.e164());
		}
		Reply userinfo = this.oauth.get("/userinfo", tokens.string("access_token"));
		assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
		assertThat(userinfo.json()).containsEntry("name", person.nickname()).containsEntry("picture", person.avatar());
		if (phone) {
			assertThat(userinfo.json()).containsEntry("phone_number", person.e164());
		}
	}

	private static JWTClaimsSet claims(String jwt) throws Exception {
		return SignedJWT.parse(jwt).getJWTClaimsSet();
	}

	private static String devCode(TestBrowser browser, String e164) {
		HttpResponse<String> dev = browser.get("/login/phone/dev-sms");
		Matcher m = Pattern.compile("data-phone=\"" + Pattern.quote(e164) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(dev.body());
		assertThat(m.find()).as("a code for the person on the dev page").isTrue();
		return m.group(1);
	}

	/** A place where a secret was found in clear. */
	record Finding(String where, String what) {
	}

	/**
	 * Reads every column of every table of the current schema (as text, binary columns as bytes) and looks for
	 * each secret, also inside Base64url-encoded segments (a JWT's payload is personal data in clear too).
	 */
	static List<Finding> scanDatabase(DataSource dataSource, Map<String, String> secrets) throws Exception {
		List<Finding> findings = new ArrayList<>();
		try (Connection c = dataSource.getConnection()) {
			List<String[]> columns = new ArrayList<>();
			try (ResultSet rs = c.createStatement()
				.executeQuery("SELECT table_name, column_name, data_type FROM information_schema.columns "
						+ "WHERE table_schema = CURRENT_SCHEMA ORDER BY table_name, ordinal_position")) {
				while (rs.next()) {
					columns.add(new String[] { rs.getString(1), rs.getString(2), rs.getString(3) });
				}
			}
			assertThat(columns).as("columns found in the schema").hasSizeGreaterThan(50);
			for (String[] column : columns) {
				boolean binary = column[2].toLowerCase(Locale.ROOT).matches(".*(binary|bytea|blob).*");
				try (ResultSet rs = c.createStatement()
					.executeQuery("SELECT \"" + column[1] + "\" FROM \"" + column[0] + "\"")) {
					while (rs.next()) {
						String text;
						if (binary) {
							byte[] bytes = rs.getBytes(1);
							text = bytes == null ? null : new String(bytes, StandardCharsets.ISO_8859_1) + "\n"
									+ new String(bytes, StandardCharsets.UTF_8);
						}
						else {
							text = rs.getString(1);
						}
						if (text == null) {
							continue;
						}
						String decoded = decodeSegments(text);
						secrets.forEach((what, secret) -> {
							if (text.contains(secret) || decoded.contains(secret)
									|| text.contains(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))) {
								findings.add(new Finding(column[0] + "." + column[1], what));
							}
						});
					}
				}
			}
		}
		return findings;
	}

	private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]{16,}");

	private static String decodeSegments(String text) {
		StringBuilder decoded = new StringBuilder();
		Matcher m = BASE64URL.matcher(text);
		while (m.find()) {
			try {
				decoded.append(new String(Base64.getUrlDecoder().decode(m.group()), StandardCharsets.UTF_8)).append('\n');
			}
			catch (IllegalArgumentException notBase64) {
				// not every long word is Base64
			}
		}
		return decoded.toString();
	}

	static List<Finding> scanText(String where, String text, Map<String, String> secrets) {
		List<Finding> findings = new ArrayList<>();
		secrets.forEach((what, secret) -> {
			if (text.contains(secret)) {
				findings.add(new Finding(where, what));
			}
		});
		return findings;
	}

}
