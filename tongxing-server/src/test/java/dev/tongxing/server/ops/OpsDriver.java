package dev.tongxing.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/** Drives real logins through the gateway for the ops tests: dev-user successes, WeChat logins against the emulator. */
final class OpsDriver {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	private final String issuer;

	private final WechatEmulator emulator;

	OpsDriver(String issuer, WechatEmulator emulator) {
		this.issuer = issuer;
		this.emulator = emulator;
	}

	/** A whole authorization-code login as a test user, ending in a token response. */
	Map<String, Object> devLoginWithTokens(String user) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		URI redirect = new TestBrowser(this.issuer).authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", pkce)), user, CALLBACK);
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"),
						"redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		return tokens.json();
	}

	/** A WeChat website login approved on the emulator's page; returns where the gateway sent the browser. */
	String wechatLogin(String user) {
		TestBrowser browser = new TestBrowser(this.issuer);
		OAuthClient oauth = new OAuthClient(this.issuer);
		browser.follow(browser.get(oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
			.toString()), null);
		HttpResponse<String> toWechat = browser.get("/login/wechat");
		assertThat(toWechat.statusCode()).isEqualTo(302);
		this.emulator.control().settings().autoApproveUser = user;
		HttpResponse<String> back = browser.follow(browser.get(toWechat.headers().firstValue("Location").orElseThrow()),
				this.issuer + "/login?");
		return back.headers().firstValue("Location").orElse(back.uri().toString());
	}

	String wechatLogin() {
		return wechatLogin(DefaultFixture.ALICE);
	}

	HttpResponse<String> admin(String method, String path, String json) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization",
						"Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
				.header("Accept-Language", "en")
				.header("Content-Type", "application/json");
			request.method(method,
					json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
