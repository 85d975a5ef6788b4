package dev.tongxing.server.minors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.connector.phone.LogSmsSender;
import dev.tongxing.server.connector.phone.SmsSender;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;

/**
 * PIPL Art. 31, 未成年人保护法 Art. 72, 未成年人网络保护条例 Art. 31-34: with {@code tongxing.minors.age-check} on, a
 * new person states their age bracket (nothing pre-selected); a child under 14 stays restricted — no app gets
 * tokens — until a guardian, proven by a code to a phone of their own, consents after reading the children's
 * rules, and the consent record names the guardian as its actor; a minor is refused by an adults-only client
 * ({@code access_denied}, and a readable page).
 */
@TestPropertySource(locations = "classpath:minors/minors-test.properties")
class Pipl31MinorsGuardianConsentTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final String ADULTS_CALLBACK = "http://127.0.0.1:3000/adults";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	SmsSender sms;

	@Autowired
	dev.tongxing.server.testing.MutableClock clock;

	@org.junit.jupiter.api.AfterEach
	void resetClock() {
		this.clock.reset();
	}

	@BeforeEach
	void freshState() {
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	record Started(TestBrowser browser, Pkce pkce, HttpResponse<String> page, String name) {
	}

	/** A new person signs in (dev login) on their way to {@code client}: the page after sign-in. */
	Started signIn(String client, String redirect, String name) {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams(client, redirect, "openid", pkce))
			.toString()), null);
		HttpResponse<String> page = browser.follow(
				browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), redirect);
		return new Started(browser, pkce, page, name);
	}

	static String name(String prefix) {
		return prefix + "-" + System.nanoTime();
	}

	@Autowired
	dev.tongxing.server.account.AccountService accounts;

	String userId(String devName) {
		return this.accounts.userFor(new dev.tongxing.server.account.ExternalIdentity.IdentityKey("dev", devName))
			.orElseThrow();
	}

	Reply token(String client, String secret, String redirect, URI back, Pkce pkce) {
		return new OAuthClient(this.issuer).post("/oauth2/token", client, secret,
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri",
						redirect, "code_verifier", pkce.verifier()));
	}

	static URI location(HttpResponse<String> response) {
		return response.uri().resolve(response.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("no redirect from " + response.uri() + ": " + response.body())));
	}

	HttpResponse<String> declare(Started started, String bracket, String redirect) {
		return started.browser().follow(started.browser().submit(started.page(), "/account/age", Map.of("bracket", bracket)),
				redirect);
	}

	/** A signed-in browser asks again: a code at once, without any step (for the token endpoint's guard). */
	URI authorizeAgain(TestBrowser browser, String client, String redirect, Pkce pkce) {
		return authorizeAgain(browser, client, redirect, pkce, "openid");
	}

	URI authorizeAgain(TestBrowser browser, String client, String redirect, Pkce pkce, String scope) {
		HttpResponse<String> back = browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams(client, redirect, scope, pkce))
			.toString()), redirect);
		return location(back);
	}

	String codeTo(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone()
			.stream()
			.filter(m -> m.phone().equals(e164))
			.findFirst()
			.orElseThrow()
			.code();
	}

	@Test
	void aNewPersonStatesTheirAgeBracketWithNothingChosenAndAnAdultGoesOn() {
		Started started = signIn("live-web", CALLBACK, name("adult"));
		assertThat(started.page().uri().getPath()).isEqualTo("/account/age");
		assertThat(started.page().body()).contains("data-age-bracket=\"under-14\"")
			.contains("data-age-bracket=\"14-17\"")
			.contains("data-age-bracket=\"adult\"")
			.doesNotContain("checked")
			.contains("href=\"/privacy/children\"");
		// no answer is no answer
		HttpResponse<String> none = started.browser().submit(started.page(), "/account/age", Map.of());
		assertThat(none.body()).contains("role=\"alert\"");

		URI back = location(declare(started, "adult", CALLBACK));
		assertThat(back.toString()).startsWith(CALLBACK);
		assertThat(token("live-web", "s3cret", CALLBACK, back, started.pkce()).status()).isEqualTo(200);
		Map<String, Object> row = this.jdbc.sql("SELECT * FROM minor_account WHERE user_id = :u")
			.param("u", userId(started.name()))
			.query()
			.singleRow();
		assertThat(row.get("age_bracket")).isEqualTo("adult");
		assertThat(row.get("source")).isEqualTo("self-declared");
	}

	@Test
	void aChildUnder14WaitsForAGuardianProvenByPhoneAndCodeWhoIsRecordedAsTheActor() {
		Started started = signIn("live-web", CALLBACK, name("child"));
		HttpResponse<String> guardianPage = declare(started, "under-14", CALLBACK);
		assertThat(guardianPage.uri().getPath()).isEqualTo("/account/guardian");
		assertThat(guardianPage.body()).contains("data-testid=\"guardian-consent\"")
			.contains("data-testid=\"childrens-rules\"")
			.contains("data-consent-item=\"phone-number\"");
		String child = userId(started.name());

		// restricted: signed in, but no app gets a token
		URI code = authorizeAgain(started.browser(), "live-web", CALLBACK, started.pkce());
		Reply refused = token("live-web", "s3cret", CALLBACK, code, started.pkce());
		assertThat(refused.status()).isEqualTo(400);
		assertThat(refused.error()).isEqualTo("access_denied");

		// the guardian's number, like any other, goes nowhere before the notice's box
		String guardian = "+86139001" + String.format("%05d", (int) (Math.random() * 100000));
		TestBrowser browser = started.browser();
		HttpResponse<String> unticked = browser.submit(guardianPage, "/account/guardian/send",
				Map.of("phone", guardian));
		assertThat(unticked.body()).contains("role=\"alert\"");
		assertThat(((LogSmsSender) this.sms).latestPerPhone()).noneMatch(m -> m.phone().equals(guardian));
		HttpResponse<String> sent = browser.submit(guardianPage, "/account/guardian/send",
				PhoneConsentForm.agreed(guardianPage, Map.of("phone", guardian)));
		assertThat(sent.body()).contains("role=\"status\"");

		// a wrong code is no consent
		HttpResponse<String> wrong = browser.submit(sent, "/account/guardian/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", guardian, "code", codeTo(guardian).equals("000000") ? "111111" : "000000")));
		assertThat(wrong.body()).contains("role=\"alert\"");
		assertThat(this.jdbc.sql("SELECT guardian_actor FROM minor_account WHERE user_id = :u")
			.param("u", child)
			.query(String.class)
			.optional()).isEmpty();

		Pkce again = Pkce.create();
		HttpResponse<String> agreed = browser.submit(sent, "/account/guardian/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", guardian, "code", codeTo(guardian))));
		// on to where the child was going: the client's callback
		URI back = location(browser.follow(agreed, CALLBACK));
		assertThat(back.toString()).startsWith(CALLBACK);

		List<Map<String, Object>> records = this.jdbc.sql(
				"SELECT * FROM consent_record WHERE subject = :u AND consent_type = 'guardian'")
			.param("u", child)
			.query()
			.listOfRows();
		assertThat(records).hasSize(1);
		assertThat((String) records.get(0).get("actor")).startsWith("guardian:").doesNotContain(guardian.substring(3));
		assertThat(records.get(0).get("method")).isEqualTo("guardian-phone-code");
		assertThat(records.get(0).get("purposes").toString()).contains("child-account");
		assertThat((String) this.jdbc.sql("SELECT guardian_actor FROM minor_account WHERE user_id = :u")
			.param("u", child)
			.query(String.class)
			.single()).isEqualTo(records.get(0).get("actor"));
		// the guardian's box was not the child's consent to a number of their own
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM consent_record WHERE subject = :u AND notice_id IS NOT NULL")
			.param("u", child)
			.query(Integer.class)
			.single()).isZero();

		// no longer restricted, and live-web, whose whitelist names the minor marker, receives it
		URI code2 = authorizeAgain(browser, "live-web", CALLBACK, again, "openid profile");
		Reply tokens = token("live-web", "s3cret", CALLBACK, code2, again);
		assertThat(tokens.status()).isEqualTo(200);
		Map<String, Object> claims = idToken(tokens);
		assertThat(claims).containsEntry("minor", true).containsEntry("age_bracket", "under-14");
		assertThat(this.catalog.uncovered(List.of("claim:minor", "claim:age_bracket"))).isEmpty();
	}

	@Autowired
	dev.tongxing.server.privacy.PersonalDataCatalog catalog;

	static Map<String, Object> idToken(Reply tokens) {
		try {
			return com.nimbusds.jwt.SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaims();
		}
		catch (java.text.ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	record Consented(String child, String guardianPhone) {
	}

	/** A child under 14 whose guardian (a fresh number) has consented. */
	Consented consentedChild() {
		// every test browser is 127.0.0.1: one code per address and minute
		this.clock.advance(java.time.Duration.ofSeconds(61));
		Started started = signIn("live-web", CALLBACK, name("kid"));
		HttpResponse<String> guardianPage = declare(started, "under-14", CALLBACK);
		String guardian = "+86137001" + String.format("%05d", (int) (Math.random() * 100000));
		HttpResponse<String> sent = started.browser().submit(guardianPage, "/account/guardian/send",
				PhoneConsentForm.agreed(guardianPage, Map.of("phone", guardian)));
		started.browser().submit(sent, "/account/guardian/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", guardian, "code", codeTo(guardian))));
		return new Consented(userId(started.name()), guardian);
	}

	/** The guardian signs in at /login/guardian with their phone and a code: the dashboard. */
	HttpResponse<String> guardianSignIn(TestBrowser browser, String phone) {
		this.clock.advance(java.time.Duration.ofSeconds(61));
		HttpResponse<String> page = browser.get("/login/guardian");
		assertThat(page.body()).contains("data-consent-item=\"phone-number\"");
		HttpResponse<String> sent = browser.submit(page, "/login/guardian/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		assertThat(sent.body()).as(sent.body()).contains("role=\"status\"");
		return browser.follow(browser.submit(sent, "/login/guardian/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", phone, "code", codeTo(phone)))), null);
	}

	@Test
	void theGuardianSeesCorrectsAndDeletesTheChildsData() {
		Consented consented = consentedChild();
		TestBrowser guardian = browser();
		HttpResponse<String> dashboard = guardianSignIn(guardian, consented.guardianPhone());
		assertThat(dashboard.uri().getPath()).isEqualTo("/login/guardian");
		assertThat(dashboard.body()).contains("data-child=\"" + consented.child() + "\"");

		// see: the child's data, as "download my data" has it
		HttpResponse<String> data = guardian.get("/login/guardian/children/" + consented.child() + "/data");
		assertThat(data.statusCode()).isEqualTo(200);
		assertThat(data.body()).contains("\"subject\" : \"" + consented.child() + "\"").contains("\"age_bracket\" : \"under-14\"");

		// correct: the age bracket
		guardian.submit(dashboard, "/login/guardian/children/" + consented.child() + "/age", Map.of("bracket", "14-17"));
		Map<String, Object> row = this.jdbc.sql("SELECT * FROM minor_account WHERE user_id = :u")
			.param("u", consented.child())
			.query()
			.singleRow();
		assertThat(row.get("age_bracket")).isEqualTo("14-17");
		assertThat(row.get("source")).isEqualTo("corrected-by-guardian");

		// delete: the child's account goes into the usual deletion, requested by the guardian
		HttpResponse<String> deleted = guardian.follow(guardian.submit(dashboard,
				"/login/guardian/children/" + consented.child() + "/delete", Map.of()), null);
		assertThat(deleted.body()).contains("data-testid=\"deletion-pending\"");
		assertThat(this.deletion.pending(consented.child())).isPresent();

		// another guardian sees nothing of this child
		Consented other = consentedChild();
		TestBrowser stranger = browser();
		HttpResponse<String> theirs = guardianSignIn(stranger, other.guardianPhone());
		assertThat(theirs.body()).doesNotContain(consented.child());
		assertThat(stranger.get("/login/guardian/children/" + consented.child() + "/data").statusCode()).isEqualTo(404);
		// nor does a browser that never proved a phone
		assertThat(browser().get("/login/guardian/children/" + consented.child() + "/data").statusCode()).isEqualTo(404);
	}

	@Autowired
	dev.tongxing.server.deletion.AccountDeletion deletion;

	@Test
	void theGuardianCorrectsTheChildsNameAsTheGuardian() {
		Consented consented = consentedChild();
		TestBrowser guardian = browser();
		HttpResponse<String> dashboard = guardianSignIn(guardian, consented.guardianPhone());
		assertThat(dashboard.body()).contains("data-action=\"correct-child-name\"");
		String path = "/login/guardian/children/" + consented.child() + "/name";

		HttpResponse<String> corrected = guardian.follow(guardian.submit(dashboard, path, Map.of("name", " 小明 ")), null);
		assertThat(corrected.body()).contains("role=\"status\"").contains(">小明<");
		assertThat(this.accounts.find(consented.child()).orElseThrow().displayName()).isEqualTo("小明");
		// the guardian is the actor, never the child
		assertThat(this.jdbc.sql("SELECT actor FROM audit_entry WHERE type = 'account.name-corrected' AND subject = :u")
			.param("u", consented.child())
			.query(String.class)
			.list()).singleElement().satisfies(actor -> assertThat(actor).startsWith("guardian:"));

		HttpResponse<String> invalid = guardian.follow(guardian.submit(dashboard, path, Map.of("name", "")), null);
		assertThat(invalid.body()).contains("role=\"alert\"");
		assertThat(this.accounts.find(consented.child()).orElseThrow().displayName()).isEqualTo("小明");

		// another guardian cannot
		Consented other = consentedChild();
		TestBrowser stranger = browser();
		HttpResponse<String> theirs = guardianSignIn(stranger, other.guardianPhone());
		assertThat(stranger.submit(theirs, path, Map.of("name", "Mallory")).statusCode()).isEqualTo(404);
		assertThat(this.accounts.find(consented.child()).orElseThrow().displayName()).isEqualTo("小明");
	}

	@Test
	void aMinorIsRefusedByAnAdultsOnlyClientWithAReadablePageAndAccessDenied() {
		Started started = signIn("adults-web", ADULTS_CALLBACK, name("teen"));
		HttpResponse<String> page = declare(started, "14-17", ADULTS_CALLBACK);
		assertThat(page.uri().getPath()).isEqualTo("/account/adults-only");
		assertThat(page.body()).contains("data-testid=\"adults-only\"").contains("Late-night Live");
		String backLink = page.body().replaceAll("(?s).*data-action=\"back-to-app\"[^>]*href=\"([^\"]*)\".*|(?s).*href=\"([^\"]*)\"[^>]*data-action=\"back-to-app\".*", "$1$2")
			.replace("&amp;", "&");
		assertThat(backLink).startsWith(ADULTS_CALLBACK + "?error=access_denied").contains("state=st-").contains("iss=");

		// and the token endpoint says the same if the client tries anyway
		Pkce pkce = Pkce.create();
		URI code = authorizeAgain(started.browser(), "adults-web", ADULTS_CALLBACK, pkce);
		Reply refused = token("adults-web", "adults-secret", ADULTS_CALLBACK, code, pkce);
		assertThat(refused.error()).isEqualTo("access_denied");
		// the other client serves minors
		Pkce other = Pkce.create();
		URI fine = authorizeAgain(started.browser(), "live-web", CALLBACK, other);
		assertThat(token("live-web", "s3cret", CALLBACK, fine, other).status()).isEqualTo(200);

		Started adult = signIn("adults-web", ADULTS_CALLBACK, name("grown"));
		URI back = location(declare(adult, "adult", ADULTS_CALLBACK));
		assertThat(token("adults-web", "adults-secret", ADULTS_CALLBACK, back, adult.pkce()).status()).isEqualTo(200);
		// an empty whitelist lets through what the scopes allow, but not the minor marker
		Pkce profile = Pkce.create();
		Reply withProfile = token("adults-web", "adults-secret", ADULTS_CALLBACK,
				authorizeAgain(adult.browser(), "adults-web", ADULTS_CALLBACK, profile, "openid profile"), profile);
		assertThat(idToken(withProfile)).doesNotContainKeys("minor", "age_bracket");
	}

	@Test
	void thePagesAreInChineseAndEnglishInABrowser() {
		Map<String, List<String>> words = Map.of("zh-CN", List.of("你多大了？", "儿童个人信息保护规则", "需要父母或其他监护人同意"),
				"en", List.of("How old are you?", "Rules for children's personal information",
						"A parent or guardian must agree"));
		for (String language : List.of("zh-CN", "en")) {
			try (Chromium browser = Chromium.start(language)) {
				browser.open(this.issuer + "/privacy/children");
				assertThat(browser.waitFor("[data-testid=childrens-rules] h1").getText())
					.isEqualTo(words.get(language).get(1));
				browser.open(new OAuthClient(this.issuer)
					.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid", Pkce.create()))
					.toString());
				browser.open(this.issuer + "/login/dev");
				browser.waitFor("input[type=text][name=username]").sendKeys(name("kid-" + language));
				browser.waitFor("input[type=text][name=username]").submit();
				assertThat(browser.waitFor("[data-testid=age-question] h1").getText()).isEqualTo(words.get(language).get(0));
				browser.click("[data-age-bracket=under-14]");
				browser.click("[data-action=declare-age]");
				assertThat(browser.waitFor("[data-testid=guardian-consent] h1").getText())
					.isEqualTo(words.get(language).get(2));
				assertThat(browser.waitFor("[data-testid=phone-consent]").isDisplayed()).isTrue();
			}
		}
	}

}
