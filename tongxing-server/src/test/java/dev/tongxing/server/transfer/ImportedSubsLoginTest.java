package dev.tongxing.server.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.io.BufferedReader;
import java.io.StringReader;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A person imported with {@code subs} signs in with WeChat (the emulator): the client named in {@code subs}
 * sees exactly the old sub in its ID tokens, access tokens, introspection and userinfo, whichever WeChat app
 * the person used, and after a refresh; another client sees the account id as always.
 */
class ImportedSubsLoginTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	WechatEmulator emulator;

	@Autowired
	UserImport imports;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Test
	void theClientNamedInSubsSeesTheOldSubWhateverTheLoginAndOthersTheAccountId() throws Exception {
		String user = DefaultFixture.DORA;
		String unionid = this.emulator.control().unionid(DefaultFixture.MOBILE_APPID, user);
		String openid = this.emulator.control().openid(DefaultFixture.MOBILE_APPID, user);
		String oldSub = "legacy-" + UUID.randomUUID();
		String line = """
				{"id":"legacy-dora","name":"Dora","wechat":[{"appid":"%s","openid":"%s","unionid":"%s"}],"phones":[],"created_at":"2018-06-01T00:00:00Z","subs":{"live-app":"%s"}}
				""".formatted(DefaultFixture.MOBILE_APPID, openid, unionid, oldSub);
		UserImport.Report report = this.imports.run(() -> new BufferedReader(new StringReader(line)),
				UserImport.sha256(line), false, "test:import", p -> {
				});
		assertThat(report.problems()).isEmpty();
		assertThat(report.created() + report.merged()).isEqualTo(1);
		String accountId = this.accounts.userFor(new IdentityKey("wechat-union", unionid)).orElseThrow();
		assertThat(accountId).isNotEqualTo(oldSub);

		OAuthClient oauth = new OAuthClient(this.issuer);
		// the mobile app's WeChat login, exchanged by the client named in subs
		Reply mobile = exchange(oauth, DefaultFixture.MOBILE_APPID,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, user));
		assertThat(mobile.status()).as(mobile.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(mobile.string("id_token")).getJWTClaimsSet().getSubject()).isEqualTo(oldSub);
		assertThat(SignedJWT.parse(mobile.string("access_token")).getJWTClaimsSet().getSubject()).isEqualTo(oldSub);
		Reply userinfo = oauth.get("/userinfo", mobile.string("access_token"));
		assertThat(userinfo.status()).as(userinfo.body()).isEqualTo(200);
		assertThat(userinfo.json()).containsEntry("sub", oldSub).containsEntry("name", "Dora");
		Reply introspection = oauth.post("/oauth2/introspect", "live-app", "app-secret",
				Map.of("token", mobile.string("access_token")));
		assertThat(introspection.json()).containsEntry("active", true).containsEntry("sub", oldSub);

		// the mini program's login (another WeChat app, another openid, the same UnionID): the same sub
		Reply mini = exchange(oauth, DefaultFixture.MINI_PROGRAM_APPID,
				this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, user));
		assertThat(mini.status()).as(mini.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(mini.string("id_token")).getJWTClaimsSet().getSubject()).isEqualTo(oldSub);

		// a refresh keeps it
		Reply refreshed = oauth.post("/oauth2/token", "live-app", "app-secret",
				Map.of("grant_type", "refresh_token", "refresh_token", mobile.string("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(refreshed.string("id_token")).getJWTClaimsSet().getSubject()).isEqualTo(oldSub);
		assertThat(oauth.post("/oauth2/introspect", "live-app", "app-secret",
				Map.of("token", refreshed.string("access_token"))).json()).containsEntry("sub", oldSub);

		// the gateway's own records still name the account
		assertThat(this.jdbc.sql("SELECT subject FROM audit_entry WHERE type = 'token.issued' AND client_id = 'live-app'"
				+ " ORDER BY seq DESC FETCH FIRST 1 ROWS ONLY").query(String.class).single()).isEqualTo(accountId);

		// another client, through the website's QR login: the account id, as for everyone else
		String websiteSub = websiteSub(oauth, user);
		assertThat(websiteSub).isEqualTo(accountId);
	}

	Reply exchange(OAuthClient oauth, String appid, String code) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", appid);
		form.put("scope", "openid profile offline_access");
		form.put("policy_version", "1");
		return oauth.post("/oauth2/token", "live-app", "app-secret", form);
	}

	/** The website QR flow at live-web (state from the gateway, code minted by the emulator): the ID token's sub. */
	String websiteSub(OAuthClient oauth, String user) throws Exception {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		browser.follow(browser.get(oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", pkce))
			.toString()), null);
		URI wechat = URI.create(browser.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, user, "snsapi_login");
		HttpResponse<String> back = browser.follow(
				browser.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state")),
				CALLBACK);
		if (back.statusCode() == 200 && back.body().contains("data-testid=\"phone-invitation\"")) {
			back = browser.follow(browser.get("/account/phone/skip"), CALLBACK); // "not now"
		}
		URI redirect = URI.create(back.headers().firstValue("Location").orElseThrow());
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

}
