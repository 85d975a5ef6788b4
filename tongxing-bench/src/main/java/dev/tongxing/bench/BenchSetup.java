package dev.tongxing.bench;

import com.nimbusds.jose.util.JSONObjectUtils;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the workloads' set-up needs: the gateway, the WeChat emulator beside it, and the honest ways of
 * getting credentials out of a production-configured gateway — token requests through its endpoints, and
 * browser logins through its real WeChat website login against the emulator (no development-only login).
 * None of this runs inside a measured window.
 */
final class BenchSetup {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	private static final SecureRandom RANDOM = new SecureRandom();

	private final Gateway gateway;

	private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private final java.util.List<String> people = new java.util.ArrayList<>();

	BenchSetup(Gateway gateway) {
		this.gateway = gateway;
	}

	/** The emulator users who have an account in this gateway (see {@code Workloads.Users}). */
	java.util.List<String> people() {
		return this.people;
	}

	Gateway gateway() {
		return this.gateway;
	}

	int port() {
		return this.gateway.port();
	}

	WechatEmulator emulator() {
		WechatEmulator emulator = this.gateway.emulator();
		if (emulator == null) {
			throw new IllegalStateException("This workload needs the WeChat emulator, which was not started");
		}
		return emulator;
	}

	/** POSTs a form with HTTP Basic client authentication; the status and the parsed JSON body. */
	Map<String, Object> post(String path, String clientId, String secret, Map<String, String> form) {
		StringBuilder body = new StringBuilder();
		form.forEach((k, v) -> body.append(body.isEmpty() ? "" : "&").append(Workload.Http.form(k)).append('=')
			.append(Workload.Http.form(v)));
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.gateway.baseUrl() + path))
			.header("Authorization", Workload.Http.basic(clientId, secret))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.timeout(Duration.ofSeconds(30))
			.POST(HttpRequest.BodyPublishers.ofString(body.toString()))
			.build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return json(response.body());
	}

	String get(String path) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(this.gateway.baseUrl() + path))
			.timeout(Duration.ofSeconds(30))
			.build());
		if (response.statusCode() != 200) {
			throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
		}
		return response.body();
	}

	/** The privacy-policy version in force, which a token exchange must name. */
	String policyVersion() {
		return String.valueOf(json(get("/privacy/policy.json")).get("version"));
	}

	/**
	 * A WeChat mobile-app token exchange for {@code user} (an emulator user): the person's account is created
	 * on the first one, with their consent to the policy recorded, so their later browser logins go straight
	 * through.
	 */
	Map<String, Object> tokenExchange(String clientId, String secret, String user, String scope) {
		String code = emulator().control().mobileCode(DefaultFixture.MOBILE_APPID, user);
		return post("/oauth2/token", clientId, secret, tokenExchangeForm(code, scope, policyVersion()));
	}

	static Map<String, String> tokenExchangeForm(String code, String scope, String policyVersion) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MOBILE_APPID);
		form.put("scope", scope);
		form.put("policy_version", policyVersion);
		return form;
	}

	/** A browser signed in as {@code user} through the gateway's WeChat website login. */
	Browser signIn(String clientId, String scope, String user) {
		Browser browser = new Browser();
		Pkce pkce = Pkce.create();
		HttpResponse<String> login = browser.follow(browser.get(authorizeUrl(clientId, scope, pkce)), CALLBACK);
		if (!login.uri().getPath().equals("/login")) {
			throw new IllegalStateException("Expected the login page, got " + login.statusCode() + " " + login.uri());
		}
		HttpResponse<String> toWechat = browser.get(this.gateway.baseUrl() + "/login/wechat");
		String wechat = toWechat.headers().firstValue("Location")
			.orElseThrow(() -> new IllegalStateException("/login/wechat did not redirect to WeChat: " + toWechat.statusCode()));
		String state = query(URI.create(wechat)).get("state");
		String code = emulator().control().authorizationCode(DefaultFixture.WEBSITE_APPID, user, "snsapi_login");
		HttpResponse<String> back = browser.follow(browser.get(this.gateway.baseUrl() + "/login/wechat/callback?code="
				+ code + "&state=" + Workload.Http.form(state)), CALLBACK);
		if (back.statusCode() == 200 && back.body().contains("data-testid=\"phone-invitation\"")) {
			// after a WeChat sign-in with no phone bound the person is invited to bind one: "not now"
			back = browser.follow(browser.get(this.gateway.baseUrl() + "/account/phone/skip"), CALLBACK);
		}
		String location = back.headers().firstValue("Location").orElse("");
		if (!location.startsWith(CALLBACK)) {
			throw new IllegalStateException("The WeChat login did not end at the client: HTTP " + back.statusCode() + " "
					+ back.uri() + " " + location);
		}
		return browser;
	}

	/** Mints one authorization code for a signed-in browser: the authorization endpoint's redirect, not followed. */
	Code mintCode(Browser browser, String clientId, String scope) {
		Pkce pkce = Pkce.create();
		HttpResponse<String> response = browser.get(authorizeUrl(clientId, scope, pkce));
		String location = response.headers().firstValue("Location").orElse("");
		String code = location.startsWith(CALLBACK) ? query(URI.create(location)).get("code") : null;
		if (code == null) {
			throw new IllegalStateException("No authorization code: HTTP " + response.statusCode() + " " + location);
		}
		return new Code(code, pkce.verifier());
	}

	record Code(String code, String verifier) {
	}

	String authorizeUrl(String clientId, String scope, Pkce pkce) {
		return this.gateway.baseUrl() + "/oauth2/authorize?response_type=code&client_id=" + Workload.Http.form(clientId)
				+ "&redirect_uri=" + Workload.Http.form(CALLBACK) + "&scope=" + Workload.Http.form(scope) + "&state="
				+ random() + "&nonce=" + random() + "&code_challenge=" + pkce.challenge()
				+ "&code_challenge_method=S256";
	}

	record Pkce(String verifier, String challenge) {

		static Pkce create() {
			String verifier = random() + random();
			try {
				byte[] hash = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
				return new Pkce(verifier, Base64.getUrlEncoder().withoutPadding().encodeToString(hash));
			}
			catch (NoSuchAlgorithmException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

	static String random() {
		byte[] bytes = new byte[24];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	static Map<String, String> query(URI uri) {
		Map<String, String> result = new LinkedHashMap<>();
		String raw = uri.getRawQuery();
		if (raw == null) {
			return result;
		}
		for (String pair : raw.split("&")) {
			int eq = pair.indexOf('=');
			result.put(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
					eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
		}
		return result;
	}

	static Map<String, Object> json(String body) {
		try {
			return JSONObjectUtils.parse(body);
		}
		catch (ParseException ex) {
			throw new IllegalStateException("Not JSON: " + body, ex);
		}
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.http.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** A cookie-keeping client that follows redirects itself, as a person's browser would. */
	static final class Browser {

		private final HttpClient http = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();

		HttpResponse<String> get(String url) {
			try {
				return this.http.send(HttpRequest.newBuilder(URI.create(url))
					.header("Accept", "text/html")
					.header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) tongxing-bench")
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
		}

		/** Follows redirects until one leaves for {@code stopPrefix} (returned, not followed) or a page is reached. */
		HttpResponse<String> follow(HttpResponse<String> response, String stopPrefix) {
			HttpResponse<String> current = response;
			for (int hops = 0; hops < 20; hops++) {
				String location = current.headers().firstValue("Location").orElse(null);
				if (current.statusCode() / 100 != 3 || location == null) {
					return current;
				}
				URI next = current.uri().resolve(location);
				if (next.toString().startsWith(stopPrefix)) {
					return current;
				}
				current = get(next.toString());
			}
			throw new IllegalStateException("Too many redirects");
		}

	}

}
