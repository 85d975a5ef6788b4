package dev.tongxing.server.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneLimits;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Recycled phone numbers (二次号, issue #17): when the carrier says a number was recycled, or the account bound to
 * it has not signed in for a year, whoever proves the number next gets a new account; the old account keeps its
 * other ways in, loses only the number, is told on its page, and its apps hear RISC {@code identifier-recycled}.
 * A number still in use keeps leading to its account.
 */
class RecycledPhoneNumberTest extends EventsGatewayTest {

	static final String RECYCLED_EVENT = "https://schemas.openid.net/secevent/risc/event-type/identifier-recycled";

	static final Duration WAIT = Duration.ofSeconds(20);

	private static final Pattern HIDDEN_PHONE = Pattern.compile("type=\"hidden\" name=\"phone\" value=\"([^\"]*)\"");

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	MeterRegistry meters;

	@Autowired
	ConfigurableApplicationContext context;

	@Autowired
	Recipients recipients;

	@BeforeEach
	@AfterEach
	void freshSendLimits() {
		PhoneLimits.fresh(this.clock, this.jdbc);
	}

	@Test
	void aCarrierSignalTakesTheNumberFromTheOldAccountAndItsAppsHearIdentifierRecycled() throws Exception {
		String name = newUserName();
		TestBrowser owner = browser();
		String old = signIn(owner, "rp-one", name);
		String phone = newNumber();
		this.accounts.link(old, new IdentityKey("phone", phone), "phone");
		bindingAge(old, Duration.ofDays(30), false); // bound a month ago, used every day since

		Map<String, Object> reported = reportRecycled(List.of(typed(phone), "12345"), today());
		assertThat(reported).containsEntry("recorded", 1L).containsEntry("released", 1L).containsEntry("invalid", List.of(1L));
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
		// the old account stays, with its other way in; it lost only the number
		assertThat(this.accounts.status(old)).contains(dev.tongxing.server.account.AccountStatus.ACTIVE);
		assertThat(this.accounts.identities(old)).extracting(AccountService.LinkedIdentity::provider).doesNotContain("phone").isNotEmpty();
		assertThat(this.accounts.releasedIdentifiers(old)).singleElement().satisfies(r -> {
			assertThat(r.reason()).isEqualTo("carrier-signal");
			assertThat(r.shownAs()).endsWith(phone.substring(phone.length() - 4)).contains("****");
		});

		// its apps hear it, named by the sub they know, with no number in it; and are told to end its sessions
		await().atMost(WAIT).until(() -> !arrivals("rp-one", "events", old).isEmpty()
				&& !arrivals("rp-one", "logout", old).isEmpty());
		assertThat(arrivals("rp-one", "events", old)).hasSize(1);
		TestReceiver.Arrival recycled = arrivals("rp-one", "events", old).get(0);
		assertThat(recycled.error()).isNull();
		assertThat(recycled.events()).isEqualTo(Map.of(RECYCLED_EVENT, Map.of()));
		assertThat(recycled.claims().getClaim("sub_id")).isEqualTo(Map.of("format", "iss_sub", "iss", this.issuer, "sub", old));
		assertThat(recycled.token() + recycled.claims()).doesNotContain(phone.substring(3));
		assertThat(arrivals("rp-one", "logout", old).get(0).error()).isNull();
		assertThat(auditCount("account.identifier-recycled", old)).isEqualTo(1);
		assertThat(this.meters.find("tongxing.account.identifier.recycled").tag("reason", "carrier-signal").counter().count())
			.isGreaterThanOrEqualTo(1);

		// reporting again changes nothing
		assertThat(reportRecycled(List.of(phone), today())).containsEntry("recorded", 0L)
			.containsEntry("already_known", 1L)
			.containsEntry("released", 0L);

		// the new holder signs in with the number: a new account, nothing of the old one
		String newcomer = smsSignIn(browser(), "rp-two", phone);
		assertThat(newcomer).isNotEqualTo(old);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(newcomer);
		assertThat(this.accounts.find(newcomer).orElseThrow().displayName()).isNotEqualTo(name);
		assertThat(this.accounts.releasedIdentifiers(newcomer)).isEmpty();
		// the new holder signs in again: still their account, the signal was about the old binding only
		this.clock.advance(Duration.ofSeconds(61)); // one code a minute per number
		assertThat(smsSignIn(browser(), "rp-two", phone)).isEqualTo(newcomer);

		// the old owner sees on their page that the number was released, and where to bind a new one
		HttpResponse<String> page = signedInPage(name);
		assertThat(page.body()).contains("data-testid=\"identifier-released\"")
			.contains(phone.substring(phone.length() - 4))
			.contains("data-action=\"bind-after-release\"")
			.doesNotContain(phone.substring(3, phone.length() - 4) + phone.substring(phone.length() - 4));
		assertThat(signedInPage(name, "en").body()).contains("the carrier reports it was given to someone else");
		// and in their copy of their data, masked: the number is someone else's now
		TestBrowser again = browser();
		signIn(again, "rp-one", name);
		HttpResponse<String> export = again.get("/account/export");
		assertThat(export.statusCode()).isEqualTo(200);
		assertThat(export.body()).contains("\"released_identifiers\"").contains("carrier-signal").doesNotContain(phone.substring(3));
	}

	@Test
	void theOldOwnerBindsANewNumberWithOneCodeNotAfterTheWaitOfARemoval() throws Exception {
		String name = newUserName();
		TestBrowser owner = browser();
		String old = signIn(owner, "rp-one", name);
		String phone = newNumber();
		this.accounts.link(old, new IdentityKey("phone", phone), "phone");
		bindingAge(old, Duration.ofDays(30), false);
		reportRecycled(List.of(phone), today());
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
		// the apps' event and logout are delivered before the next test watches the same receiver
		await().atMost(WAIT).until(() -> !arrivals("rp-one", "events", old).isEmpty()
				&& !arrivals("rp-one", "logout", old).isEmpty());

		// the gateway released the number, not someone who may not be the owner: the page binds, it does not wait
		// (the release ended the old sessions: the owner signs in again)
		TestBrowser again = browser();
		assertThat(signIn(again, "rp-one", name)).isEqualTo(old);
		HttpResponse<String> page = again.get("/account/phone");
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).doesNotContain("data-testid=\"phone-change-removed\"").contains("/account/phone/send");
	}

	@Test
	void aBatchIsOnRecordBeforeItsFirstNumberAndWhenItIsDone() {
		long before = this.jdbc.sql("SELECT COALESCE(MAX(seq), 0) FROM audit_entry").query(Long.class).single();
		reportRecycled(List.of("not a number", "+8613" + String.format("%09d", System.nanoTime() % 1_000_000_000L)),
				this.clock.instant().atZone(java.time.ZoneId.of("Asia/Shanghai")).toLocalDate().minusDays(1));
		List<String> entries = this.jdbc.sql("""
				SELECT details FROM audit_entry WHERE type = 'admin.phone-numbers.recycled' AND seq > :s
				AND actor = 'admin:admin' ORDER BY seq""").param("s", before).query(String.class).list();
		assertThat(entries).hasSize(2);
		assertThat(entries.get(0)).contains("\"stage\":\"started\"").contains("\"numbers\":2");
		assertThat(entries.get(1)).contains("\"stage\":\"finished\"").contains("\"invalid\":1");
	}

	@Test
	void aSignalOlderThanTheBindingLeavesTheNumberWhereItIs() throws Exception {
		String old = signIn(browser(), "rp-one", newUserName());
		String phone = newNumber();
		this.accounts.link(old, new IdentityKey("phone", phone), "phone"); // bound today, after the recycling

		assertThat(reportRecycled(List.of(phone), today().minusDays(3))).containsEntry("recorded", 1L)
			.containsEntry("released", 0L);
		assertThat(smsSignIn(browser(), "rp-one", phone)).isEqualTo(old);
		assertThat(this.accounts.releasedIdentifiers(old)).isEmpty();
		assertThat(reportRecycled(List.of(phone), today().plusDays(2)).get("status")).isEqualTo(400L);
	}

	@Test
	void aNumberWhoseAccountHasNotBeenUsedForAYearGoesToANewAccount() throws Exception {
		String name = newUserName();
		String phone = newNumber();
		// signed in last 400 days ago, and no app has had a token for it since; rp-one once received its data
		Instant then = Instant.now(this.clock).minus(Duration.ofDays(800));
		String old = this.accounts.createImported(List.of(new IdentityKey("dev", name), new IdentityKey("phone", phone)),
				new ExternalIdentity.Profile(name, null, null), then, then.plus(Duration.ofDays(400)), "test");
		this.recipients.received(old, "rp-one", old);
		ExternalIdentity proving = new ExternalIdentity("phone", phone, null);
		// a new person, for the questions asked before an account exists (the privacy policy)
		assertThat(this.accounts.wouldCreate(proving)).isTrue();
		assertThat(arrivals("rp-one", "events", old)).isEmpty();

		String newcomer = smsSignIn(browser(), "rp-two", phone);
		assertThat(newcomer).isNotEqualTo(old);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(newcomer);
		assertThat(this.accounts.releasedIdentifiers(old)).singleElement()
			.satisfies(r -> assertThat(r.reason()).isEqualTo("inactive"));
		assertThat(this.accounts.identities(old)).extracting(AccountService.LinkedIdentity::provider).doesNotContain("phone").isNotEmpty();
		await().atMost(WAIT).until(() -> !arrivals("rp-one", "events", old).isEmpty());
		assertThat(arrivals("rp-one", "events", old)).singleElement()
			.satisfies(a -> assertThat(a.events()).containsOnlyKeys(RECYCLED_EVENT));
		// the newcomer's app never received the old account, and hears nothing of it
		assertThat(arrivals("rp-two", "events", old)).isEmpty();
		assertThat(signedInPage(name, "zh-CN").body()).contains("data-testid=\"identifier-released\"").contains("长期未使用");
	}

	@Test
	void anAccountWhoseAppsStillGetTokensIsInUseThoughItHasNotSignedInForAYear() throws Exception {
		String old = signIn(browser(), "rp-one", newUserName()); // rp-one got tokens for it just now
		String phone = newNumber();
		this.accounts.link(old, new IdentityKey("phone", phone), "phone");
		bindingAge(old, Duration.ofDays(400), true); // as if its last sign-in were 400 days ago, its app refreshing since

		assertThat(this.accounts.wouldCreate(new ExternalIdentity("phone", phone, null))).isFalse();
		assertThat(smsSignIn(browser(), "rp-one", phone)).isEqualTo(old);
		assertThat(this.accounts.releasedIdentifiers(old)).isEmpty();
	}

	@Test
	void bindingARecycledNumberOrBringingItFromWeChatMovesItTooButNeverFromTheAccountItself() {
		Instant then = Instant.now(this.clock).minus(Duration.ofDays(800));
		String first = newNumber();
		String idle = this.accounts.createImported(List.of(new IdentityKey("phone", first)),
				new ExternalIdentity.Profile(null, null, null), then, then, "test");
		// bound on the account page by someone signed in another way (AccountLinking goes through link)
		String binder = this.accounts.signIn(new ExternalIdentity("dev", newUserName(), null)).id();
		assertThat(this.accounts.link(binder, new IdentityKey("phone", first), "phone"))
			.isEqualTo(AccountService.LinkResult.LINKED);
		assertThat(this.accounts.userFor(new IdentityKey("phone", first))).contains(binder);
		assertThat(this.accounts.releasedIdentifiers(idle)).hasSize(1);

		// a mini program's verified number (WeChat proved it) moves from an idle account to the WeChat one
		String second = newNumber();
		String idleToo = this.accounts.createImported(List.of(new IdentityKey("phone", second)),
				new ExternalIdentity.Profile(null, null, null), then, then, "test");
		String union = "u-" + newUserName();
		String wechat = this.accounts.signIn(new ExternalIdentity("wechat", List.of(new IdentityKey("wechat-union", union)),
				new ExternalIdentity.Profile(null, null, second))).id();
		assertThat(wechat).isNotEqualTo(idleToo);
		assertThat(this.accounts.userFor(new IdentityKey("phone", second))).contains(wechat);
		assertThat(this.accounts.releasedIdentifiers(idleToo)).hasSize(1);

		// an idle account whose own WeChat brings its own number back is its owner: nothing moves
		String third = newNumber();
		String ownUnion = "u-" + newUserName();
		String own = this.accounts.createImported(
				List.of(new IdentityKey("wechat-union", ownUnion), new IdentityKey("phone", third)),
				new ExternalIdentity.Profile(null, null, null), then, then, "test");
		assertThat(this.accounts.signIn(new ExternalIdentity("wechat", List.of(new IdentityKey("wechat-union", ownUnion)),
				new ExternalIdentity.Profile(null, null, third))).id()).isEqualTo(own);
		assertThat(this.accounts.userFor(new IdentityKey("phone", third))).contains(own);
		assertThat(this.accounts.releasedIdentifiers(own)).isEmpty();
	}

	@Test
	void aNumberStillInUseLandsInItsAccount() throws Exception {
		String old = signIn(browser(), "rp-one", newUserName());
		String phone = newNumber();
		this.accounts.link(old, new IdentityKey("phone", phone), "phone");
		bindingAge(old, Duration.ofDays(200), false); // bound long ago, the account signed in yesterday
		this.jdbc.sql("UPDATE account_identity SET last_login_at = :at WHERE user_id = :u AND provider <> 'phone'")
			.param("at", Instant.now(this.clock).minus(Duration.ofDays(1)).atOffset(ZoneOffset.UTC))
			.param("u", old)
			.update();
		assertThat(this.accounts.wouldCreate(new ExternalIdentity("phone", phone, null))).isFalse();

		assertThat(smsSignIn(browser(), "rp-one", phone)).isEqualTo(old);
		assertThat(this.accounts.releasedIdentifiers(old)).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE user_id = :u AND event_type = :t")
			.param("u", old)
			.param("t", RECYCLED_EVENT)
			.query(Long.class)
			.single()).isZero();
	}

	@Test
	void anAccountLeftWithNoWayInIsKeptAndAnOperatorCanGiveItANewNumber() throws Exception {
		String phone = newNumber();
		Instant longAgo = Instant.now(this.clock).minus(Duration.ofDays(800));
		String old = this.accounts.createImported(List.of(new IdentityKey("phone", phone)),
				new ExternalIdentity.Profile("Old owner", null, null), longAgo, longAgo.plus(Duration.ofDays(300)), "test");

		String newcomer = smsSignIn(browser(), "rp-one", phone);
		assertThat(newcomer).isNotEqualTo(old);
		// kept, not deleted: its data waits for its owner
		assertThat(this.accounts.find(old)).hasValueSatisfying(user -> {
			assertThat(user.active()).isTrue();
			assertThat(user.displayName()).isEqualTo("Old owner");
		});
		assertThat(this.accounts.identities(old)).isEmpty();
		// an operator looking into a complaint finds what it lost, masked
		String lookup = adminGet("/admin/api/people?account=" + old + "&reason=complaint%2042");
		assertThat(lookup).contains("\"released_identifiers\"").contains("\"reason\":\"inactive\"")
			.contains(phone.substring(phone.length() - 4)).doesNotContain(phone.substring(3));

		String other = newNumber();
		String taken = newNumber();
		this.accounts.link(newcomer, new IdentityKey("phone", taken), "phone");
		assertThat(restore(Map.of("account", old, "phone", taken, "reason", "complaint 42")).get("status"))
			.isEqualTo(409L);
		assertThat(restore(Map.of("account", newcomer, "phone", other, "reason", "complaint 42")).get("status"))
			.as("only an account that lost a number").isEqualTo(409L);
		assertThat(restore(Map.of("account", old, "phone", other)).get("status")).isEqualTo(400L);
		assertThat(restore(Map.of("account", old, "phone", typed(other), "reason", "complaint 42")))
			.containsEntry("result", "linked");
		assertThat(this.accounts.userFor(new IdentityKey("phone", other))).contains(old);
		assertThat(auditCount("admin.account.restored", old)).isEqualTo(1);
	}

	@Test
	void theMoveIsOneTransaction() {
		String phone = newNumber();
		Instant longAgo = Instant.now(this.clock).minus(Duration.ofDays(800));
		String old = this.accounts.createImported(List.of(new IdentityKey("phone", phone)),
				new ExternalIdentity.Profile(null, null, null), longAgo, longAgo, "test");
		long accountsBefore = this.jdbc.sql("SELECT COUNT(*) FROM account_user").query(Long.class).single();
		// a crash once the number has left the old account (its events queued), as the new account is made
		Thread mover = Thread.currentThread();
		ApplicationListener<ApplicationEvent> crash = new ApplicationListener<>() {
			@Override
			public void onApplicationEvent(ApplicationEvent event) {
				if (Thread.currentThread() == mover && event instanceof PayloadApplicationEvent<?> payload
						&& payload.getPayload() instanceof AccountChanged changed && changed.kind() == AccountChangeKind.CREATE) {
					throw new IllegalStateException("crashed mid-move");
				}
			}
		};
		this.context.addApplicationListener(crash);
		try {
			assertThatThrownBy(() -> this.accounts.signIn(new ExternalIdentity("phone", phone, null)))
				.hasMessageContaining("crashed mid-move");
		}
		finally {
			this.context.removeApplicationListener(crash);
		}
		// nothing moved, nothing half-done: the number is the old account's, no new account, no event, no record
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(old);
		assertThat(this.accounts.releasedIdentifiers(old)).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM account_user").query(Long.class).single()).isEqualTo(accountsBefore);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM events_outbox WHERE user_id = :u").param("u", old).query(Long.class).single())
			.isZero();
		assertThat(auditCount("account.identifier-recycled", old)).isZero();

		// the next try does it all
		String newcomer = this.accounts.signIn(new ExternalIdentity("phone", phone, null)).id();
		assertThat(newcomer).isNotEqualTo(old);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).contains(newcomer);
		assertThat(this.accounts.releasedIdentifiers(old)).hasSize(1);
		assertThat(auditCount("account.identifier-recycled", old)).isEqualTo(1);
	}

	// --- helpers ---

	/** What reached the client about this account (by the sub it knows; logout tokens by their sub). */
	static List<TestReceiver.Arrival> arrivals(String client, String kind, String sub) {
		return RECEIVER.arrivals(client, kind).stream().filter(a -> a.claims() != null).filter(a -> {
			Object subId = a.claims().getClaim("sub_id");
			return sub.equals(subId instanceof Map<?, ?> m ? m.get("sub") : a.claims().getSubject());
		}).toList();
	}

	static String newNumber() {
		return "+86139" + String.format("%08d", ThreadLocalRandom.current().nextLong(100_000_000L));
	}

	/** The number as a person types it: 139 1234 5678. */
	static String typed(String e164) {
		String national = e164.substring(3);
		return national.substring(0, 3) + " " + national.substring(3, 7) + " " + national.substring(7);
	}

	LocalDate today() {
		return LocalDate.now(this.clock.withZone(ZoneId.of("Asia/Shanghai")));
	}

	/** Moves the account's bindings back in time, and its sign-ins too when {@code idle}. */
	void bindingAge(String userId, Duration age, boolean idle) {
		var then = Instant.now(this.clock).minus(age).atOffset(ZoneOffset.UTC);
		this.jdbc.sql("UPDATE account_identity SET created_at = :at" + (idle ? ", last_login_at = :at" : "")
				+ " WHERE user_id = :u")
			.param("at", then)
			.param("u", userId)
			.update();
	}

	long auditCount(String type, String subject) {
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s")
			.param("t", type)
			.param("s", subject)
			.query(Long.class)
			.single();
	}

	/** Signs in to {@code clientId} with an SMS code in a fresh authorization; returns the sub it gets. */
	String smsSignIn(TestBrowser browser, String clientId, String e164) throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		String redirect = "http://127.0.0.1:3000/" + clientId;
		HttpResponse<String> login = browser.follow(
				browser.get(oauth.authorizeUri(OAuthClient.authorizeParams(clientId, redirect, "openid profile", pkce))
					.toString()),
				redirect);
		assertThat(login.uri().getPath()).isEqualTo("/login");
		HttpResponse<String> form = browser.get("/login/phone");
		HttpResponse<String> sent = browser.submit(form, "/login/phone/send",
				PhoneConsentForm.agreed(form, Map.of("phone", typed(e164))));
		assertThat(sent.statusCode()).isEqualTo(200);
		Matcher hidden = HIDDEN_PHONE.matcher(sent.body());
		assertThat(hidden.find()).as("the code was sent: %s", sent.body()).isTrue();
		HttpResponse<String> dev = browser.get("/login/phone/dev-sms");
		Matcher code = Pattern.compile("data-phone=\"" + Pattern.quote(e164) + "\">\\s*<code data-testid=\"code\">(\\d{6})<")
			.matcher(dev.body());
		assertThat(code.find()).as("a code for %s on the dev page", e164).isTrue();
		HttpResponse<String> reply = browser.submit(sent, "/login/phone/sign-in",
				Map.of("phone", hidden.group(1), "code", code.group(1)));
		assertThat(reply.statusCode()).as("sign-in answer: %s", reply.body()).isEqualTo(302);
		HttpResponse<String> last = browser.follow(reply, redirect);
		URI back = last.uri().resolve(last.headers().firstValue("Location").orElseThrow());
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", clientId, clientId + "-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(back).get("code"), "redirect_uri",
						redirect, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	/** The dev test user's own account page, after signing in afresh. */
	HttpResponse<String> signedInPage(String name) {
		return signedInPage(name, null);
	}

	HttpResponse<String> signedInPage(String name, String language) {
		TestBrowser browser = browser();
		signIn(browser, "rp-one", name);
		return language == null ? browser.get("/account") : browser.get("/account", language);
	}

	Map<String, Object> reportRecycled(List<String> numbers, LocalDate recycledOn) {
		String body = "{\"numbers\":[" + numbers.stream().map(n -> "\"" + n + "\"").collect(Collectors.joining(","))
				+ "],\"recycled_on\":\"" + recycledOn + "\"}";
		return admin("/admin/api/phone-numbers/recycled", body);
	}

	Map<String, Object> restore(Map<String, String> fields) {
		String body = fields.entrySet()
			.stream()
			.map(e -> "\"" + e.getKey() + "\":\"" + e.getValue() + "\"")
			.collect(Collectors.joining(",", "{", "}"));
		return admin("/admin/api/phone-numbers/recycled/restore", body);
	}

	private String adminGet(String path) {
		try {
			var request = java.net.http.HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.build();
			var response = java.net.http.HttpClient.newHttpClient()
				.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
			return response.body();
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** POSTs JSON as the operator; the answer's fields, and its {@code status} when it is not 200. */
	private Map<String, Object> admin(String path, String json) {
		try {
			var request = java.net.http.HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("admin:admin".getBytes()))
				.header("Content-Type", "application/json")
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(json))
				.build();
			var response = java.net.http.HttpClient.newHttpClient()
				.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				return Map.of("status", (long) response.statusCode(), "body", response.body());
			}
			return com.nimbusds.jose.util.JSONObjectUtils.parse(response.body());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
