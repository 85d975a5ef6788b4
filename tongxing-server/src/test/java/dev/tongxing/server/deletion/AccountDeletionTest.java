package dev.tongxing.server.deletion;

import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.kernel.ErasureParticipant;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.audit.AuditVerifier;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Account deletion end to end on a running gateway: request after re-authentication, cooling-off, the
 * scheduled completion with the clock moved past the due date, cancelling, and a failure rolling back.
 */
class AccountDeletionTest extends DeletionGatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	AuditVerifier auditVerifier;

	@Autowired
	List<ErasureParticipant> participants;

	@Autowired
	DeletionTestConfig.FailingErasure failingErasure;

	/** Signs in with WeChat's website QR login as {@code wechatUser}; returns the page the browser lands on. */
	HttpResponse<String> signInWithWechat(TestBrowser browser, String wechatUser) {
		HttpResponse<String> toWechat = browser.get("/login/wechat");
		URI wechat = URI.create(toWechat.headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, wechatUser, "snsapi_login");
		return browser.follow(browser.get("/login/wechat/callback?code=" + code + "&state="
				+ TestBrowser.query(wechat).get("state")), null);
	}

	String accountId(TestBrowser browser) {
		return testId(browser.get("/account"), "account-id");
	}

	void bindPhone(TestBrowser browser, String phone) {
		HttpResponse<String> page = browser.get("/account/phone");
		HttpResponse<String> sent = browser.submit(page, "/account/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		assertThat(sent.statusCode()).isEqualTo(200);
		HttpResponse<String> dev = browser.get("/login/phone/dev-sms");
		Matcher m = Pattern.compile("data-phone=\"" + Pattern.quote(phone) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(dev.body());
		assertThat(m.find()).as("a code for %s", phone).isTrue();
		browser.follow(browser.submit(sent, "/account/phone/verify", Map.of("phone", phone, "code", m.group(1))), null);
	}

	@Test
	void theWholeRunEndsWithNothingOfThePersonLeftAndTheirIdentitiesFree() {
		String phone = "+8613800138002";
		TestBrowser browser = browser();
		signInWithWechat(browser, DefaultFixture.CHEN);
		String userId = accountId(browser);
		bindPhone(browser, phone);
		assertThat(this.accounts.find(userId).orElseThrow().displayName()).isEqualTo("陈小明🐼");
		String openid = this.emulator.control().openid(DefaultFixture.WEBSITE_APPID, DefaultFixture.CHEN);
		List<String> keys = this.accounts.identities(userId).stream().map(AccountService.LinkedIdentity::key).toList();
		assertThat(keys).contains(phone).anyMatch(k -> k.contains(openid));
		String unionid = this.emulator.control().unionid(DefaultFixture.WEBSITE_APPID, DefaultFixture.CHEN);
		// in clear, and as the account tables hold them: sealed values and keyed lookup hashes
		List<String> traces = new ArrayList<>(List.of("陈小明", "13800138002", openid, unionid));
		traces.addAll(this.jdbc.sql("SELECT display_name FROM account_user WHERE id = :u")
			.param("u", userId)
			.query(String.class)
			.list());
		this.jdbc.sql("SELECT provider_key_hash, provider_key_sealed FROM account_identity WHERE user_id = :u")
			.param("u", userId)
			.query((rs, i) -> traces.addAll(List.of(rs.getString(1), rs.getString(2))))
			.list();
		assertThat(traces).hasSize(4 + 1 + 2 * 3); // the name; WeChat's UnionID and openid, the phone
		// and the SMS code's keyed digest of the number (the phone package's own)
		traces.addAll(this.jdbc.sql("SELECT DISTINCT phone_digest FROM phone_code").query(String.class).list());
		assertThat(traces).hasSize(4 + 1 + 2 * 3 + 1);
		assertThat(rowsContaining(traces)).as("the search finds them while the account lives").isNotEmpty();
		OAuthClient.Reply tokens = tokens(browser);
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		String accessToken = tokens.string("access_token");
		OAuthClient oauth = new OAuthClient(this.issuer);
		assertThat(oauth.get("/userinfo", accessToken).status()).isEqualTo(200);

		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.body()).contains("data-action=\"confirm\"")
			.contains("data-action=\"cancel\"")
			.doesNotContain("checked")
			.contains("<li>live-web</li>"); // the app that will be told (it has no name configured)
		HttpResponse<String> requested = browser.submit(page, "/account/delete", Map.of("confirm", "yes"));
		assertThat(requested.body()).contains("data-testid=\"deletion-requested\"");

		// at once: the account is disabled for the apps, its tokens and sessions are gone
		assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout");
		assertThat(oauth.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", accessToken)).json())
			.containsEntry("active", false);
		assertThat(oauth.get("/userinfo", accessToken).status()).isEqualTo(401);
		assertThat(sessions(userId)).isZero();
		assertThat(browser.get("/account").statusCode()).as("signed out").isEqualTo(302);
		assertThat(pendingState(userId)).isEqualTo("pending");

		// the job does nothing before the due date, and completes it once it has passed
		this.clock.advance(Duration.ofDays(7).minusMinutes(1));
		this.deletion.completeDue();
		assertThat(pendingState(userId)).isEqualTo("pending");
		this.clock.advance(Duration.ofMinutes(2));
		this.deletion.completeDue();
		assertThat(pendingState(userId)).isEqualTo("completed");

		UserAccount erased = this.accounts.find(userId).orElseThrow();
		assertThat(erased.status()).isEqualTo(UserAccount.ERASED);
		assertThat(erased.displayName()).isNull();
		assertThat(erased.pictureUrl()).isNull();
		assertThat(this.accounts.identities(userId)).isEmpty();
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
		assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout", "account-purged", "logout");
		assertThat(sessions(userId)).isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM oauth2_authorization WHERE principal_name = :u")
			.param("u", userId)
			.query(Long.class)
			.single()).isZero();
		for (String step : List.of("logout-queued", "tokens-revoked", "sessions-ended")) {
			assertThat(steps(userId, step)).as(step).isEqualTo(2); // at the request, and again at completion
		}
		assertThat(steps(userId, "requested")).isEqualTo(1);
		assertThat(steps(userId, "account-disabled-queued")).isEqualTo(1);
		assertThat(steps(userId, "erased"))
			.as("one per participant: %s", this.participants.stream().map(ErasureParticipant::name).toList())
			.isEqualTo(this.participants.size());
		for (String step : List.of("account-purged-queued", "account-erased", "completed")) {
			assertThat(steps(userId, step)).as(step).isEqualTo(1);
		}
		assertThat(this.auditVerifier.verify().intact()).isTrue();
		assertThat(rowsContaining(traces))
			.as("no table holds the nickname, phone number, openid or unionid, in clear, sealed or hashed")
			.isEmpty();

		// the same WeChat and phone now make new, unrelated accounts
		TestBrowser again = browser();
		signInWithWechat(again, DefaultFixture.CHEN);
		String newUser = accountId(again);
		assertThat(newUser).isNotEqualTo(userId);
		bindPhone(again, phone);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(newUser);
	}

	/** Every table's text and binary cells that contain one of the values. */
	List<String> rowsContaining(List<String> values) {
		List<String> found = new ArrayList<>();
		List<String> tables = this.jdbc
			.sql("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")
			.query(String.class)
			.list();
		for (String table : tables) {
			this.jdbc.sql("SELECT * FROM \"" + table + "\"").query((rs, i) -> {
				for (int c = 1; c <= rs.getMetaData().getColumnCount(); c++) {
					Object value = rs.getObject(c);
					String text = value instanceof byte[] bytes ? new String(bytes, StandardCharsets.ISO_8859_1)
							: String.valueOf(value);
					for (String wanted : values) {
						String latin = new String(wanted.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
						if (text.contains(wanted) || text.contains(latin)) {
							found.add(table + "." + rs.getMetaData().getColumnName(c) + " contains " + wanted);
						}
					}
				}
				return null;
			}).list();
		}
		return found;
	}

	@Test
	void deletionNeedsARecentSignIn() {
		String name = newName();
		TestBrowser browser = signedIn(name);
		this.clock.advance(Duration.ofMinutes(6));
		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.statusCode()).isEqualTo(302);
		assertThat(page.headers().firstValue("Location").orElseThrow()).contains("/login");
		assertThat(browser.follow(page, null).body()).contains("data-testid=\"reauthenticate\"")
			.contains("sign in once more");

		// a form left open past the limit does nothing either
		HttpResponse<String> stale = browser.submit(browser.get("/account"), "/account/delete", Map.of("confirm", "yes"));
		assertThat(stale.headers().firstValue("Location").orElseThrow()).endsWith("/account/delete");
		assertThat(this.deletion.pending(userId(name))).isEmpty();

		// signing in again comes back to the deletion page
		HttpResponse<String> back = signIn(browser, name);
		assertThat(back.uri().getPath()).isEqualTo("/account/delete");
		assertThat(back.body()).contains("data-testid=\"deletion\"");
	}

	@Test
	void nothingHappensWithoutTheTickedBox() {
		String name = newName();
		TestBrowser browser = signedIn(name);
		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.body()).contains("type=\"checkbox\" name=\"confirm\" value=\"yes\"").doesNotContain("checked");
		HttpResponse<String> answer = browser.submit(page, "/account/delete", Map.of());
		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.body()).contains("data-testid=\"deletion-unconfirmed\"");
		assertThat(this.deletion.pending(userId(name))).isEmpty();
		assertThat(browser.get("/account").statusCode()).as("still signed in").isEqualTo(200);
	}

	@Test
	void signingInDuringTheCoolingOffOffersToCancelAndNoAppGetsTokensMeanwhile() {
		String name = newName();
		TestBrowser browser = signedIn(name);
		String userId = userId(name);
		assertThat(tokens(browser).status()).isEqualTo(200);
		requestDeletion(browser);
		this.clock.advance(Duration.ofDays(3));

		// a client sends the person to sign in: the question comes first
		OAuthClient oauth = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		URI authorize = oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce));
		browser.follow(browser.get(authorize.toString()), CALLBACK);
		HttpResponse<String> question = signIn(browser, name);
		assertThat(question.uri().getPath()).isEqualTo("/account/deletion/pending");
		assertThat(question.body()).contains("data-action=\"cancel-deletion\"").contains("data-action=\"keep-deletion\"");

		// going around the question gets a code but never tokens
		HttpResponse<String> around = browser.follow(browser.get(authorize.toString()), CALLBACK);
		URI code = around.uri().resolve(around.headers().firstValue("Location").orElseThrow());
		OAuthClient.Reply refused = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type",
				"authorization_code", "code", TestBrowser.query(code).get("code"), "redirect_uri", CALLBACK,
				"code_verifier", pkce.verifier()));
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("invalid_grant");

		// cancelling goes on to the client, and tokens flow again
		HttpResponse<String> cancelled = browser.submit(question, "/account/deletion/cancel", Map.of());
		assertThat(cancelled.headers().firstValue("Location").orElseThrow()).contains("/oauth2/authorize");
		assertThat(pendingState(userId)).isEqualTo("cancelled");
		assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout", "account-enabled");
		assertThat(steps(userId, "cancelled")).isEqualTo(1);
		assertThat(tokens(browser).status()).isEqualTo(200);

		this.clock.advance(Duration.ofDays(10));
		this.deletion.completeDue();
		assertThat(this.accounts.find(userId).orElseThrow().status()).isEqualTo(UserAccount.ACTIVE);
		assertThat(this.accounts.identities(userId)).isNotEmpty();
	}

	OAuthClient.Reply nativeWechatLogin(String wechatUser) {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, wechatUser);
		return new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret",
				Map.of("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange", "subject_token", code,
						"subject_token_type", "urn:tongxing:token-type:wechat-code", "appid",
						DefaultFixture.MOBILE_APPID, "scope", "openid profile offline_access", "policy_version", "1"));
	}

	@Test
	void aNativeAppGetsNoTokensEitherAndNeitherDoesARefreshToken() throws Exception {
		OAuthClient.Reply first = nativeWechatLogin(DefaultFixture.DORA);
		assertThat(first.status()).as(first.body()).isEqualTo(200);
		String userId = com.nimbusds.jwt.SignedJWT.parse(first.string("id_token")).getJWTClaimsSet().getSubject();
		this.deletion.request(userId);

		OAuthClient.Reply refused = nativeWechatLogin(DefaultFixture.DORA);
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("invalid_grant");
		OAuthClient.Reply refresh = new OAuthClient(this.issuer).post("/oauth2/token", "live-app", "app-secret",
				Map.of("grant_type", "refresh_token", "refresh_token", first.string("refresh_token")));
		assertThat(refresh.status()).isEqualTo(400);
		assertThat(refresh.error()).isEqualTo("invalid_grant");

		this.deletion.cancel(userId);
		assertThat(nativeWechatLogin(DefaultFixture.DORA).status()).isEqualTo(200);
	}

	@Test
	void afterCancellingTheSignInGoesOnWithItsOtherSteps() {
		TestBrowser browser = browser();
		signInWithWechat(browser, DefaultFixture.BOB);
		String userId = accountId(browser);
		requestDeletion(browser);

		HttpResponse<String> question = signInWithWechat(browser, DefaultFixture.BOB);
		assertThat(question.uri().getPath()).isEqualTo("/account/deletion/pending");
		HttpResponse<String> cancelled = browser.submit(question, "/account/deletion/cancel", Map.of());
		assertThat(cancelled.headers().firstValue("Location").orElseThrow())
			.as("the invitation to bind a phone that follows a WeChat sign-in")
			.endsWith("/account/phone?invite");
		assertThat(pendingState(userId)).isEqualTo("cancelled");
	}

	@Test
	void keepingTheDeletionSignsThePersonOutAgain() {
		String name = newName();
		TestBrowser browser = signedIn(name);
		String userId = userId(name);
		requestDeletion(browser);
		HttpResponse<String> question = signIn(browser, name);
		assertThat(question.uri().getPath()).isEqualTo("/account/deletion/pending");
		HttpResponse<String> kept = browser.submit(question, "/account/deletion/keep", Map.of());
		assertThat(kept.body()).contains("data-testid=\"deletion-kept\"");
		assertThat(sessions(userId)).isZero();
		assertThat(browser.get("/account").statusCode()).isEqualTo(302);
		assertThat(pendingState(userId)).isEqualTo("pending");
	}

	@Test
	void aFailureAnywhereInTheCompletionLeavesNothingDone() {
		String name = newName();
		TestBrowser browser = signedIn(name);
		String userId = userId(name);
		requestDeletion(browser);
		DeletionRequest request = this.deletion.pending(userId).orElseThrow();
		signIn(browser, name); // a session again (waiting at the question)
		assertThat(sessions(userId)).isEqualTo(1);
		long stepsBefore = this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE subject = :u")
			.param("u", userId)
			.query(Long.class)
			.single();
		this.failingErasure.failFor.add(userId);
		try {
			this.clock.advance(Duration.ofDays(8));
			assertThatThrownBy(() -> this.deletion.complete(request.id())).hasMessageContaining("Simulated failure");
			this.deletion.completeDue(); // the job tries again, and fails again: logged, nothing done

			assertThat(pendingState(userId)).isEqualTo("pending");
			assertThat(this.accounts.find(userId).orElseThrow().status()).isEqualTo(UserAccount.ACTIVE);
			assertThat(this.accounts.find(userId).orElseThrow().displayName()).isEqualTo(name);
			assertThat(this.accounts.identities(userId)).hasSize(1);
			assertThat(sessions(userId)).as("the session deletion rolled back too").isEqualTo(1);
			assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout");
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE subject = :u")
				.param("u", userId)
				.query(Long.class)
				.single()).isEqualTo(stepsBefore);
		}
		finally {
			this.failingErasure.failFor.remove(userId);
		}
		assertThat(this.deletion.complete(request.id())).isTrue();
		assertThat(this.accounts.identities(userId)).isEmpty();
		assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout", "account-purged", "logout");
	}

	@Test
	void twoNodesNeverCompleteOneRequestTwice() throws Exception {
		String name = newName();
		TestBrowser browser = signedIn(name);
		String userId = userId(name);
		requestDeletion(browser);
		String id = this.deletion.pending(userId).orElseThrow().id();
		this.clock.advance(Duration.ofDays(8));
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService pool = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				Callable<Boolean> attempt = () -> {
					start.await();
					return this.deletion.complete(id);
				};
				results.add(pool.submit(attempt));
			}
			start.countDown();
			int completed = 0;
			for (Future<Boolean> result : results) {
				if (result.get()) {
					completed++;
				}
			}
			assertThat(completed).isEqualTo(1);
		}
		finally {
			pool.shutdownNow();
		}
		assertThat(steps(userId, "completed")).isEqualTo(1);
		assertThat(this.events.kinds(userId)).containsExactly("account-disabled", "logout", "account-purged", "logout");
	}

}
