package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneLimits;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PIPL Art. 46 with the account's safety (compliance.md: "phone change requires OTP to old and new number, or a
 * recovery flow"): a number bound to an account is replaced only after a code to it and a code to the new one;
 * a person who lost the old number gets the change after {@code lost-number-wait} (7 days by default), with
 * the old number told by SMS at once, a notice on {@code /account} for every sign-in, a way to cancel, and a
 * job that applies it only if the new number is still free. Every step is audited; the notice counts against
 * the SMS send limits. The clock is advanced.
 */
class PhoneChangeNeedsOldNumberTest extends GatewayTest {

	static final Pattern ACCOUNT_ID = Pattern.compile("data-testid=\"account-id\">([^<]+)<");

	static final Pattern ALERT = Pattern.compile("role=\"alert\"[^>]*>([^<]*)<");

	@Autowired
	SmsSender sms;

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountService accounts;

	@Autowired
	PhoneChanges changes;

	@Autowired
	PhoneChangeProperties properties;

	@Autowired
	PhoneVerification verification;

	@BeforeEach
	void freshState() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@AfterEach
	void freshAfter() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	/** A minute passes: the one-code-a-minute limits (per number, per address) let the next code through. */
	void tick() {
		this.clock.advance(Duration.ofSeconds(61));
	}

	@Test
	void aBoundNumberIsNotReplacedWithACodeToTheNewNumberAlone() {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);

		HttpResponse<String> page = browser.get("/account/phone");
		assertThat(page.body()).contains("data-testid=\"phone-change\"", "data-testid=\"phone-change-old\"",
				"data-action=\"send-old-code\"", "data-action=\"lost-old-number\"")
			.doesNotContain(old.substring(3)) // only masked: whoever holds the session may not own the number
			.contains(old.substring(0, old.length() - 8) + "****" + old.substring(old.length() - 4));

		// the old way, a code to the new number alone: refused before anything is sent
		HttpResponse<String> send = browser.submit(page, "/account/phone/send",
				Map.of("phone", wanted, "phone-consent", PhoneConsentForm.nativeVersion(this.issuer)));
		assertThat(alert(send)).startsWith("First confirm your current number");
		assertThat(smsTo(wanted)).isEmpty();
		HttpResponse<String> verify = browser.submit(page, "/account/phone/verify",
				Map.of("phone", wanted, "code", "123456", "phone-consent", PhoneConsentForm.nativeVersion(this.issuer)));
		assertThat(alert(verify)).startsWith("First confirm your current number");
		assertThat(phones(userId)).containsExactly(old);
	}

	@Test
	void provingTheOldAndTheNewNumberChangesItAtOnce() {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);

		HttpResponse<String> page = browser.get("/account/phone");
		tick();
		HttpResponse<String> sentToOld = browser.submit(page, "/account/phone/change/old/send", Map.of());
		assertThat(sentToOld.body()).contains("data-testid=\"phone-notice\"").doesNotContain(old.substring(3));
		String oldCode = smsTo(old).orElseThrow().code();
		HttpResponse<String> wrong = browser.submit(sentToOld, "/account/phone/change/old/verify",
				Map.of("code", oldCode.equals("000000") ? "111111" : "000000"));
		assertThat(alert(wrong)).startsWith("That code is not right");
		HttpResponse<String> proved = browser.submit(sentToOld, "/account/phone/change/old/verify",
				Map.of("code", oldCode));
		assertThat(proved.body()).contains("data-testid=\"phone-change-new\"", "data-action=\"change-phone\"",
				"data-testid=\"phone-consent\""); // the phone-number notice is shown for the new number too

		tick();
		HttpResponse<String> sentToNew = browser.submit(proved, "/account/phone/send",
				PhoneConsentForm.agreed(proved, Map.of("phone", wanted)));
		assertThat(sentToNew.body()).contains("data-testid=\"phone-notice\"");
		HttpResponse<String> changed = browser.submit(sentToNew, "/account/phone/verify",
				PhoneConsentForm.agreed(sentToNew, Map.of("phone", wanted, "code", smsTo(wanted).orElseThrow().code())));
		assertThat(changed.statusCode()).isEqualTo(302);
		assertThat(changed.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=phone-changed");
		assertThat(phones(userId)).containsExactly(wanted);
		assertThat(this.accounts.userFor(new IdentityKey("phone", old))).isEmpty();
		assertThat(audit(userId, "phone-change.requested")).hasSize(1);
		assertThat(audit(userId, "phone-change.proved")).hasSize(2)
			.anySatisfy(d -> assertThat(d).contains("\"number\":\"old\""))
			.anySatisfy(d -> assertThat(d).contains("\"number\":\"new\""));
		assertThat(audit(userId, "phone-change.applied")).singleElement()
			.satisfies(d -> assertThat(d).contains("old-and-new").doesNotContain(wanted.substring(3)));
		assertThat(browser.follow(changed, null).body()).contains("data-testid=\"account-notice\"")
			.contains("Your phone number is changed.");
	}

	@Test
	void aNumberOfAnotherAccountIsNotTakenOver() {
		String old = randomPhone();
		String others = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);
		signedInWithPhone(others);

		HttpResponse<String> page = browser.get("/account/phone");
		tick();
		HttpResponse<String> sentToOld = browser.submit(page, "/account/phone/change/old/send", Map.of());
		HttpResponse<String> proved = browser.submit(sentToOld, "/account/phone/change/old/verify",
				Map.of("code", smsTo(old).orElseThrow().code()));
		tick();
		HttpResponse<String> sentToNew = browser.submit(proved, "/account/phone/send",
				PhoneConsentForm.agreed(proved, Map.of("phone", others)));
		HttpResponse<String> refused = browser.submit(sentToNew, "/account/phone/verify",
				PhoneConsentForm.agreed(sentToNew, Map.of("phone", others, "code", smsTo(others).orElseThrow().code())));
		assertThat(alert(refused)).isEqualTo("This number is bound to another account. Nothing was changed.");
		assertThat(phones(userId)).containsExactly(old);
	}

	@Test
	void aLostOldNumberSchedulesTheChangeTellsTheOldNumberAndAnySignInCanCancel() {
		assertThat(this.properties.lostNumberWait()).isEqualTo(Duration.ofDays(7));
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);

		HttpResponse<String> scheduled = scheduleLostNumberChange(browser, wanted, "en");
		assertThat(scheduled.headers().firstValue("Location").orElseThrow())
			.endsWith("/account?notice=phone-change-scheduled");
		assertThat(phones(userId)).containsExactly(old); // nothing changes yet

		// the old number hears of it at once, by SMS, with the new number masked and the date
		LogSmsSender.Delivered notice = smsTo(old).orElseThrow();
		assertThat(notice.code()).isNull();
		assertThat(notice.text()).contains("reported this number lost", masked(wanted))
			.doesNotContain(wanted.substring(3));
		assertThat(audit(userId, "phone-change.notice")).singleElement()
			.satisfies(d -> assertThat(d).contains("\"channel\":\"sms\"", "\"outcome\":\"sent\""));
		assertThat(audit(userId, "phone-change.scheduled")).singleElement()
			.satisfies(d -> assertThat(d).contains("old-number-lost").doesNotContain(wanted.substring(3)));
		// sealed while it waits: neither number in clear
		assertThat(this.jdbc.sql("SELECT old_phone_sealed || new_phone_sealed FROM phone_change WHERE user_id = :u")
			.param("u", userId)
			.query(String.class)
			.single()).doesNotContain(old.substring(3)).doesNotContain(wanted.substring(3));

		// the person's copy of their data holds it, with both numbers while it waits
		String export = browser.get("/account/export").body();
		assertThat(export).contains("phone_changes", "scheduled", wanted, old);

		// the account page shows it to whoever is signed in; a second request waits for this one
		assertThat(browser.get("/account").body()).contains("data-testid=\"important-notice\"",
				"/account/phone/change", masked(wanted));
		assertThat(browser.get("/account/phone").body()).contains("data-testid=\"phone-change-waiting\"",
				"data-action=\"cancel-phone-change\"");

		// the owner of the old number, signed in another way (WeChat, say; here a passkey-less second browser
		// signing in with the phone itself), cancels it
		TestBrowser owner = signedInWithPhoneLogin(old);
		assertThat(accountId(owner)).isEqualTo(userId);
		HttpResponse<String> waiting = owner.get("/account/phone/change");
		HttpResponse<String> cancelled = owner.submit(waiting, "/account/phone/change/cancel", Map.of());
		assertThat(cancelled.headers().firstValue("Location").orElseThrow())
			.endsWith("/account?notice=phone-change-cancelled");
		assertThat(audit(userId, "phone-change.cancelled")).hasSize(1);
		assertThat(browser.get("/account").body()).doesNotContain("data-testid=\"important-notice\"");
		assertThat(this.jdbc.sql("SELECT state FROM phone_change WHERE user_id = :u").param("u", userId)
			.query(String.class).single()).isEqualTo("cancelled");
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM phone_change WHERE user_id = :u AND (old_phone_sealed IS NOT NULL"
				+ " OR new_phone_sealed IS NOT NULL)").param("u", userId).query(Integer.class).single()).isZero();

		// the wait passes: a cancelled change is never applied
		this.clock.advance(Duration.ofDays(8));
		this.changes.applyDue();
		assertThat(phones(userId)).containsExactly(old);
	}

	@Test
	void theJobAppliesItOnlyAfterTheWaitAndOnlyOnce() throws Exception {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);
		scheduleLostNumberChange(browser, wanted, "en");
		String id = this.jdbc.sql("SELECT id FROM phone_change WHERE user_id = :u").param("u", userId)
			.query(String.class).single();

		this.clock.advance(Duration.ofDays(7).minusMinutes(5));
		this.changes.applyDue();
		assertThat(phones(userId)).containsExactly(old);

		this.clock.advance(Duration.ofMinutes(6));
		// every node at once: one applies it
		ExecutorService nodes = Executors.newFixedThreadPool(4);
		try {
			List<Future<Boolean>> runs = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				runs.add(nodes.submit((Callable<Boolean>) () -> this.changes.apply(id)));
			}
			int applied = 0;
			for (Future<Boolean> run : runs) {
				applied += run.get() ? 1 : 0;
			}
			assertThat(applied).isEqualTo(1);
		}
		finally {
			nodes.shutdownNow();
		}
		assertThat(phones(userId)).containsExactly(wanted);
		assertThat(audit(userId, "phone-change.applied")).singleElement()
			.satisfies(d -> assertThat(d).contains("new-after-wait"));
		assertThat(this.jdbc.sql("SELECT state FROM phone_change WHERE id = :id").param("id", id)
			.query(String.class).single()).isEqualTo("applied");
		assertThat(this.changes.waiting(userId)).isEmpty(); // no banner any more
	}

	@Test
	void aNewNumberThatWentToAnotherAccountDuringTheWaitIsRefused() {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);
		scheduleLostNumberChange(browser, wanted, "en");

		// meanwhile someone else binds the number
		var other = this.accounts.signIn(new ExternalIdentity("dev",
				List.of(new IdentityKey("dev", "taker-" + UUID.randomUUID())), new ExternalIdentity.Profile("Taker", null, null)));
		this.accounts.link(other.id(), new IdentityKey("phone", wanted), "phone");

		this.clock.advance(Duration.ofDays(7).plusMinutes(1));
		this.changes.applyDue();
		assertThat(phones(userId)).containsExactly(old);
		assertThat(this.accounts.userFor(new IdentityKey("phone", wanted))).contains(other.id());
		assertThat(audit(userId, "phone-change.refused")).singleElement()
			.satisfies(d -> assertThat(d).contains("new-number-taken"));
		assertThat(this.jdbc.sql("SELECT state FROM phone_change WHERE user_id = :u").param("u", userId)
			.query(String.class).single()).isEqualTo("refused");
	}

	@Test
	void theNoticeIsNotHeldBackByCodesAskedForTheOldNumberAndHasABudgetOfItsOwn() {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old, "zh-CN");
		String userId = accountId(browser);

		// someone asked a code for the old number this very minute, as anyone can: the warning goes out anyway, or
		// whoever schedules the change could hold it back for the whole wait by asking codes (review finding)
		scheduleLostNumberChange(browser, wanted, "zh-CN",
				() -> assertThat(this.verification.send(old, "10.9.9.9")).isInstanceOf(SendOutcome.Sent.class));
		LogSmsSender.Delivered notice = smsTo(old).orElseThrow();
		assertThat(notice.code()).isNull();
		assertThat(notice.text()).contains("报告本号码丢失", masked(wanted)); // in the language of the page that asked
		assertThat(audit(userId, "phone-change.notice")).singleElement()
			.satisfies(d -> assertThat(d).contains("\"outcome\":\"sent\""));
		assertThat(this.jdbc.sql("SELECT notice_state FROM phone_change WHERE user_id = :u").param("u", userId)
			.query(String.class).single()).isEqualTo("sent");
		assertThat(this.changes.sendDueNotices()).as("sent once").isZero();

		// notices have a budget of their own, so nobody floods a phone through them either
		tick();
		assertThat(this.numbers.sendNotice(old, "2")).isInstanceOf(JdbcPhoneVerification.NoticeSent.class);
		tick();
		assertThat(this.numbers.sendNotice(old, "3")).isInstanceOf(JdbcPhoneVerification.NoticeSent.class);
		tick();
		assertThat(this.numbers.sendNotice(old, "4")).isInstanceOf(JdbcPhoneVerification.NoticeLimited.class);
	}

	@Autowired
	JdbcPhoneVerification numbers;

	@Test
	void removingTheNumberAndBindingAnotherIsAChangeThatWaitsToo() {
		String old = randomPhone();
		String wanted = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);
		String phoneLink = this.accounts.identities(userId).stream().filter(i -> i.provider().equals("phone"))
			.findFirst().orElseThrow().id();
		HttpResponse<String> account = browser.get("/account");
		HttpResponse<String> removed = browser.submit(account, "/account/unlink", Map.of("identity", phoneLink));
		assertThat(removed.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=unlinked");
		assertThat(phones(userId)).isEmpty();

		// no one-code binding now: the page is the wait, and the old URLs refuse
		HttpResponse<String> page = browser.get("/account/phone");
		assertThat(page.body()).contains("data-testid=\"phone-change-lost\"", "data-testid=\"phone-change-removed\"")
			.doesNotContain("data-testid=\"phone-bind\"");
		tick();
		HttpResponse<String> refused = browser.submit(page, "/account/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", wanted)));
		assertThat(alert(refused)).startsWith("A phone number was removed from this account recently");
		assertThat(smsTo(wanted)).isEmpty();

		scheduleLostNumberChange(browser, wanted, "en");
		assertThat(phones(userId)).isEmpty();
		assertThat(audit(userId, "phone-change.scheduled")).singleElement()
			.satisfies(d -> assertThat(d).contains("old-number-removed"));
		assertThat(audit(userId, "phone-change.notice")).singleElement()
			.satisfies(d -> assertThat(d).contains("the old number was removed before"));
		assertThat(browser.get("/account").body()).contains("data-testid=\"important-notice\"", masked(wanted));

		this.clock.advance(Duration.ofDays(7).plusMinutes(1));
		assertThat(this.changes.applyDue()).isGreaterThanOrEqualTo(1);
		assertThat(phones(userId)).containsExactly(wanted);
	}

	@Test
	void aRemovalLongerAgoThanTheWaitIsNoChange() {
		String old = randomPhone();
		TestBrowser browser = signedInWithPhone(old);
		String userId = accountId(browser);
		this.accounts.unlink(userId, List.of(new IdentityKey("phone", old)));
		assertThat(this.changes.removedRecently(userId)).isTrue();
		this.clock.advance(Duration.ofDays(7).plusMinutes(1));
		assertThat(this.changes.removedRecently(userId)).isFalse(); // a number bound now is a first number again
	}

	// --- helpers ---------------------------------------------------------------------------------------------

	/** The lost-number path on the pages: the new number proved with its code, the change scheduled. */
	HttpResponse<String> scheduleLostNumberChange(TestBrowser browser, String wanted, String language) {
		return scheduleLostNumberChange(browser, wanted, language, () -> {
		});
	}

	/** @param beforeVerify what happens between the new number's code and its entry */
	HttpResponse<String> scheduleLostNumberChange(TestBrowser browser, String wanted, String language,
			Runnable beforeVerify) {
		HttpResponse<String> lost = browser.get("/account/phone/change/lost", language);
		assertThat(lost.body()).contains("data-testid=\"phone-change-lost\"", "data-testid=\"phone-consent\"");
		tick();
		HttpResponse<String> sent = browser.submit(lost, "/account/phone/change/lost/send",
				PhoneConsentForm.agreed(lost, Map.of("phone", wanted)));
		assertThat(sent.body()).as(sent.body()).contains("data-testid=\"phone-notice\"");
		beforeVerify.run();
		HttpResponse<String> scheduled = browser.submit(sent, "/account/phone/change/lost/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", wanted, "code", smsTo(wanted).orElseThrow().code())));
		assertThat(scheduled.statusCode()).as(scheduled.body()).isEqualTo(302);
		return scheduled;
	}

	/** A new account (dev sign-in) with the number bound the first-number way: one code; pages in English. */
	TestBrowser signedInWithPhone(String phone) {
		return signedInWithPhone(phone, "en");
	}

	/** @param language the browser's language, sent with every request (forms too, as a browser does) */
	TestBrowser signedInWithPhone(String phone, String language) {
		TestBrowser browser = browser().header("Accept-Language", language);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev",
				Map.of("username", "changer-" + UUID.randomUUID().toString().substring(0, 8))), null);
		HttpResponse<String> page = browser.get("/account/phone");
		assertThat(page.body()).contains("data-testid=\"phone-bind\"");
		tick();
		HttpResponse<String> sent = browser.submit(page, "/account/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		HttpResponse<String> bound = browser.submit(sent, "/account/phone/verify",
				PhoneConsentForm.agreed(sent, Map.of("phone", phone, "code", smsTo(phone).orElseThrow().code())));
		assertThat(bound.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=linked");
		return browser;
	}

	/** A fresh browser signing in with the phone itself. */
	TestBrowser signedInWithPhoneLogin(String phone) {
		tick();
		TestBrowser browser = browser().header("Accept-Language", "en");
		HttpResponse<String> page = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", phone)));
		HttpResponse<String> in = browser.submit(sent, "/login/phone/sign-in",
				PhoneConsentForm.agreed(sent, Map.of("phone", phone, "code", smsTo(phone).orElseThrow().code())));
		assertThat(in.statusCode()).as(in.body()).isEqualTo(302);
		browser.follow(in, null);
		return browser;
	}

	String accountId(TestBrowser browser) {
		Matcher m = ACCOUNT_ID.matcher(browser.get("/account").body());
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

	List<String> phones(String userId) {
		return this.accounts.identities(userId).stream().filter(i -> i.provider().equals("phone"))
			.map(AccountService.LinkedIdentity::key).toList();
	}

	Optional<LogSmsSender.Delivered> smsTo(String e164) {
		return ((LogSmsSender) this.sms).latestPerPhone().stream().filter(m -> m.phone().equals(e164)).findFirst();
	}

	List<String> audit(String userId, String type) {
		return this.jdbc.sql("SELECT details FROM audit_entry WHERE type = :t AND subject = :u ORDER BY seq")
			.param("t", type)
			.param("u", userId)
			.query(String.class)
			.list();
	}

	static String alert(HttpResponse<String> page) {
		Matcher m = ALERT.matcher(page.body());
		return m.find() ? m.group(1) : "(no alert) " + page.statusCode() + " " + page.body();
	}

	static String masked(String e164) {
		return e164.substring(0, e164.length() - 8) + "****" + e164.substring(e164.length() - 4);
	}

	static String randomPhone() {
		return "+86137" + String.format("%08d", (int) (Math.random() * 100_000_000));
	}

}
