package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.config.EmulatorConfig;
import dev.tongxing.wechat.emulator.fault.FaultRule;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * WeChat login without a browser: mobile apps and mini programs exchange their WeChat code at the token
 * endpoint (RFC 8693), and every app of one open-platform account lands on the same account.
 */
class WechatNativeLoginTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	org.springframework.jdbc.core.simple.JdbcClient jdbc;

	OAuthClient oauth;

	@BeforeEach
	void setUp() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@AfterEach
	void reset() {
		this.emulator.control().clearFaults();
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
	}

	Reply exchange(String appid, String code, String... extra) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", appid);
		form.put("scope", "openid profile phone offline_access");
		form.put("policy_version", "1");
		for (int i = 0; i < extra.length; i += 2) {
			form.put(extra[i], extra[i + 1]);
		}
		return this.oauth.post("/oauth2/token", "live-app", "app-secret", form);
	}

	static String sub(Reply tokens) throws Exception {
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	/** The website QR flow's subject for a user (state from the gateway, code minted by the emulator). */
	String websiteSub(String user) throws Exception {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		browser.follow(browser.get(this.oauth.authorizeUri(OAuthClient.authorizeParams("live-web",
				WechatBrowserLoginTest.CALLBACK, "openid", pkce)).toString()), null);
		URI wechat = URI.create(browser.get("/login/wechat").headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, user, "snsapi_login");
		HttpResponse<String> back = WechatBrowserLoginTest.skipPhoneInvitation(browser, browser.follow(
				browser.get("/login/wechat/callback?code=" + code + "&state=" + TestBrowser.query(wechat).get("state")),
				WechatBrowserLoginTest.CALLBACK));
		URI redirect = URI.create(back.headers().firstValue("Location").orElseThrow());
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						WechatBrowserLoginTest.CALLBACK, "code_verifier", pkce.verifier()));
		return sub(tokens);
	}

	@Test
	void websiteMobileAndMiniProgramLandOnOneAccount() throws Exception {
		String website = websiteSub(DefaultFixture.BOB);
		String mobile = sub(exchange(DefaultFixture.MOBILE_APPID,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.BOB)));
		String mini = sub(exchange(DefaultFixture.MINI_PROGRAM_APPID,
				this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, DefaultFixture.BOB)));
		assertThat(mobile).isEqualTo(website);
		assertThat(mini).isEqualTo(website);
	}

	@Test
	void tokenExchangeGivesFullTokensThatRefresh() throws Exception {
		Reply tokens = exchange(DefaultFixture.MOBILE_APPID,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE));
		assertThat(tokens.json()).containsEntry("issued_token_type", "urn:ietf:params:oauth:token-type:access_token")
			.containsEntry("token_type", "Bearer")
			.containsEntry("expires_in", 7200L);
		var idClaims = SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet();
		assertThat(idClaims.getAudience()).containsExactly("live-app");
		assertThat(idClaims.getStringClaim("name")).isNotBlank(); // the WeChat nickname, as display name
		assertThat(this.oauth.get("/userinfo", tokens.string("access_token")).status()).isEqualTo(200);
		Reply refreshed = this.oauth.post("/oauth2/token", "live-app", "app-secret",
				Map.of("grant_type", "refresh_token", "refresh_token", tokens.string("refresh_token")));
		assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(refreshed.string("id_token")).getJWTClaimsSet().getSubject())
			.isEqualTo(idClaims.getSubject());
	}

	@Test
	void aCodeIsUsedOnceAndNeverSentToWechatTwice() {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		this.emulator.control().clearRequests();
		assertThat(exchange(DefaultFixture.MOBILE_APPID, code).status()).isEqualTo(200);
		Reply replay = exchange(DefaultFixture.MOBILE_APPID, code);
		assertThat(replay.error()).isEqualTo("invalid_grant");
		assertThat(this.emulator.control()
			.requests("/sns/oauth2/access_token")
			.stream()
			.filter(e -> code.equals(e.param("code")))).hasSize(1);
	}

	@Test
	void anExpiredCodeIsInvalidGrant() {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		this.emulator.control().advanceClock(Duration.ofMinutes(11));
		try {
			assertThat(exchange(DefaultFixture.MOBILE_APPID, code).error()).isEqualTo("invalid_grant");
		}
		finally {
			this.emulator.control().advanceClock(Duration.ofMinutes(-11));
		}
	}

	@Test
	void aTimedOutExchangeIsNeverRetried() {
		this.emulator.control().addFault(FaultRule.drop("/sns/oauth2/access_token", 1.0));
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		this.emulator.control().clearRequests();
		Reply first = exchange(DefaultFixture.MOBILE_APPID, code);
		assertThat(first.error()).isEqualTo("temporarily_unavailable");
		this.emulator.control().clearFaults();
		// the code may have been consumed upstream: a retry is refused here rather than earning a 40163
		assertThat(exchange(DefaultFixture.MOBILE_APPID, code).error()).isEqualTo("invalid_grant");
		assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).hasSize(1);
	}

	@Test
	void wrongAppsAndClientsAreRefused() {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		// website apps never use this grant
		assertThat(exchange(DefaultFixture.WEBSITE_APPID, code).error()).isEqualTo("invalid_request");
		assertThat(exchange("wx9999999999999999", code).error()).isEqualTo("invalid_request");
		// a client not registered for token exchange
		Map<String, String> form = Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange",
				"subject_token", code, "subject_token_type", "urn:tongxing:token-type:wechat-code", "appid",
				DefaultFixture.MOBILE_APPID, "policy_version", "1");
		assertThat(this.oauth.post("/oauth2/token", "live-web", "s3cret", form).error()).isEqualTo("unauthorized_client");
		// no client authentication at all
		assertThat(this.oauth.post("/oauth2/token", null, null, form).error()).isEqualTo("invalid_client");
		// missing subject token
		assertThat(exchange(DefaultFixture.MOBILE_APPID, "").error()).isEqualTo("invalid_request");
	}

	@Test
	void theAcceptedPolicyVersionIsRequiredAndRecorded() throws Exception {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.ALICE);
		this.emulator.control().clearRequests();
		Reply missing = exchange(DefaultFixture.MOBILE_APPID, code, "policy_version", "");
		Reply outdated = exchange(DefaultFixture.MOBILE_APPID, code, "policy_version", "0.9");
		for (Reply reply : List.of(missing, outdated)) {
			assertThat(reply.status()).isEqualTo(400);
			assertThat(reply.json()).containsEntry("error", "consent_required")
				.containsEntry("policy_version", "1")
				.containsEntry("policy_uri", this.issuer + "/privacy/policy");
		}
		// refused before WeChat was called: the code still works
		assertThat(this.emulator.control().requests("/sns/oauth2/access_token")).isEmpty();
		Reply accepted = exchange(DefaultFixture.MOBILE_APPID, code);
		String sub = sub(accepted);
		assertThat(this.jdbc.sql("SELECT policy_version, policy_text_sha256, method FROM consent_record WHERE subject = :s")
			.param("s", sub)
			.query()
			.listOfRows()).anySatisfy(row -> {
				assertThat(row.get("policy_version")).isEqualTo("1");
				assertThat(row.get("method")).isEqualTo("native-app");
			});
		var policy = this.oauth.get("/privacy/policy.json", null).json();
		assertThat(policy).containsEntry("version", "1").containsKey("text_sha256").containsKey("effective_date");
	}

	@Test
	void aBlockedMiniProgramUserIsDenied() {
		String code = this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, "eve");
		assertThat(exchange(DefaultFixture.MINI_PROGRAM_APPID, code).error()).isEqualTo("access_denied");
	}

	@Test
	void miniProgramPhoneCodeBindsThePhone() throws Exception {
		String user = DefaultFixture.ALICE;
		Reply tokens = exchange(DefaultFixture.MINI_PROGRAM_APPID,
				this.emulator.control().miniProgramLoginCode(DefaultFixture.MINI_PROGRAM_APPID, user), "phone_code",
				this.emulator.control().phoneNumberCode(DefaultFixture.MINI_PROGRAM_APPID, user), "phone_consent",
				PhoneConsentForm.nativeVersion(this.issuer));
		assertThat(tokens.json()).containsEntry("phone_binding", "bound");
		var claims = SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet();
		assertThat(claims.getStringClaim("phone_number")).isEqualTo("+8613800138000");
		assertThat(claims.getBooleanClaim("phone_number_verified")).isTrue();
	}

	@Test
	void anUnboundMiniProgramUserIsMergedWhenTheAppIsBound() throws Exception {
		String user = "dora";
		String mainAccount = sub(exchange(DefaultFixture.MOBILE_APPID,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, user)));
		String unbound = sub(exchange(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID, this.emulator.control()
			.miniProgramLoginCode(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID, user)));
		assertThat(unbound).isNotEqualTo(mainAccount); // no UnionID: keyed on (appid, openid) alone

		// the mini program is bound to the open-platform account: its logins now carry the UnionID
		this.emulator.control()
			.addApp(new EmulatorConfig.AppConfig(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID,
					DefaultFixture.UNBOUND_MINI_PROGRAM_SECRET, "mini-program", "now bound", DefaultFixture.ACCOUNT,
					List.of()));
		String afterBinding = sub(exchange(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID, this.emulator.control()
			.miniProgramLoginCode(DefaultFixture.UNBOUND_MINI_PROGRAM_APPID, user)));
		assertThat(afterBinding).isEqualTo(mainAccount);
	}

}
