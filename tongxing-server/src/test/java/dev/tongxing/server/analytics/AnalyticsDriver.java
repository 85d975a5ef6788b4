package dev.tongxing.server.analytics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/** Real logins for the analytics tests, each taking a chosen time on the (mutable) clock from page to sign-in. */
public final class AnalyticsDriver {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	private final String issuer;

	private final WechatEmulator emulator;

	private final MutableClock clock;

	public AnalyticsDriver(String issuer, WechatEmulator emulator, MutableClock clock) {
		this.issuer = issuer;
		this.emulator = emulator;
		this.clock = clock;
	}

	/** Starts an authorization request for live-web and lands on the login page. */
	private TestBrowser toLoginPage(TestBrowser browser, Pkce pkce) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		HttpResponse<String> page = browser.follow(browser.get(oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", pkce)).toString()), null);
		assertThat(page.uri().getPath()).isEqualTo("/login");
		return browser;
	}

	/** A dev test-user login taking {@code took} on the clock, ending in tokens. */
	public void devLogin(String user, Duration took) {
		TestBrowser browser = new TestBrowser(this.issuer);
		Pkce pkce = Pkce.create();
		toLoginPage(browser, pkce);
		HttpResponse<String> devPage = browser.get("/login/dev");
		this.clock.advance(took);
		HttpResponse<String> back = browser.follow(browser.submit(devPage, "/login/dev", Map.of("username", user)),
				CALLBACK);
		exchange(back, pkce);
	}

	/**
	 * A WeChat website login approved on the emulator's page, taking {@code took}; with tokens when it
	 * succeeds. @return whether it succeeded
	 */
	public boolean wechatLogin(String user, Duration took) {
		TestBrowser browser = new TestBrowser(this.issuer);
		Pkce pkce = Pkce.create();
		toLoginPage(browser, pkce);
		HttpResponse<String> toWechat = browser.get("/login/wechat");
		assertThat(toWechat.statusCode()).isEqualTo(302);
		this.emulator.control().settings().autoApproveUser = user;
		this.clock.advance(took);
		HttpResponse<String> back = browser.follow(browser.get(toWechat.headers().firstValue("Location").orElseThrow()),
				CALLBACK);
		if (back.statusCode() == 200 && back.body().contains("data-testid=\"phone-invitation\"")) {
			back = browser.follow(browser.get("/account/phone/skip"), CALLBACK); // "not now"
		}
		String location = back.headers().firstValue("Location").orElse("");
		if (!location.startsWith(CALLBACK)) {
			return false;
		}
		exchange(back, pkce);
		return true;
	}

	/** A phone login with the code the log sender wrote to the dev page, ending in tokens. */
	void phoneLogin(String typed, String e164) {
		TestBrowser browser = new TestBrowser(this.issuer);
		Pkce pkce = Pkce.create();
		toLoginPage(browser, pkce);
		HttpResponse<String> page = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send",
				dev.tongxing.server.testing.PhoneConsentForm.agreed(page, Map.of("phone", typed)));
		assertThat(sent.statusCode()).isEqualTo(200);
		String devPage = browser.get("/login/phone/dev-sms").body();
		java.util.regex.Matcher code = java.util.regex.Pattern
			.compile("data-phone=\"" + java.util.regex.Pattern.quote(e164) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(devPage);
		assertThat(code.find()).as("%s\n%s", sent.body(), devPage).isTrue();
		java.util.regex.Matcher phone = java.util.regex.Pattern
			.compile("type=\"hidden\" name=\"phone\" value=\"([^\"]*)\"").matcher(sent.body());
		assertThat(phone.find()).isTrue();
		HttpResponse<String> reply = browser.submit(sent, "/login/phone/sign-in", dev.tongxing.server.testing.PhoneConsentForm
			.agreed(sent, Map.of("phone", phone.group(1), "code", code.group(1))));
		assertThat(reply.statusCode()).as(reply.body()).isEqualTo(302);
		exchange(browser.follow(reply, CALLBACK), pkce);
	}

	private void exchange(HttpResponse<String> back, Pkce pkce) {
		URI redirect = back.uri().resolve(back.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("no redirect to the client: HTTP " + back.statusCode() + " at " + back.uri())));
		assertThat(redirect.toString()).startsWith(CALLBACK);
		OAuthClient.Reply tokens = new OAuthClient(this.issuer).post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"),
						"redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
	}

	HttpResponse<String> admin(String path) {
		return admin(path, "admin:admin");
	}

	HttpResponse<String> admin(String path, String credentials) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Accept-Language", "en");
			if (credentials != null) {
				request.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	Map<String, Object> json(String path) {
		HttpResponse<String> response = admin(path);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		try {
			return com.nimbusds.jose.util.JSONObjectUtils.parse(response.body());
		}
		catch (java.text.ParseException ex) {
			throw new AssertionError(response.body(), ex);
		}
	}

	/** The rows of an answer, by key. */
	@SuppressWarnings("unchecked")
	Map<String, Map<String, Object>> rows(String path) {
		Map<String, Map<String, Object>> byKey = new java.util.LinkedHashMap<>();
		for (Object row : (java.util.List<Object>) json(path).get("rows")) {
			Map<String, Object> r = (Map<String, Object>) row;
			byKey.put((String) r.get("key"), r);
		}
		return byKey;
	}

}
