package dev.tongxing.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/**
 * The console's People pages: found through the lookup hashes with a reason, every search and view audited with
 * the operator and the reason, masked for a viewer, who cannot end sessions; support ends them (and the person's
 * browser is signed out); both languages render every text; the JSON counterparts.
 */
class PeoplePagesTest extends GatewayTest {

	private static final AtomicInteger PEOPLE = new AtomicInteger();

	private static final Pattern OPEN = Pattern.compile("href=\"(/admin/people/[^\"]+)\" data-action=\"open-person\"");

	@Autowired
	ApplicationContext context;

	@Autowired
	AccountService accounts;

	@Autowired
	AuditTrail trail;

	/** A person signed in (dev login) in their own browser, with a phone number linked; @return the account id */
	record Someone(String accountId, String phone, TestBrowser browser) {
	}

	Someone someone() {
		int n = PEOPLE.incrementAndGet();
		String name = "people-person-" + n;
		TestBrowser browser = browser();
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		assertThat(browser.get("/account/activity").statusCode()).as("the person is signed in").isEqualTo(200);
		String id = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		String phone = "+86139001390" + String.format("%02d", n);
		assertThat(this.accounts.link(id, new IdentityKey("phone", phone), "test")).isEqualTo(AccountService.LinkResult.LINKED);
		return new Someone(id, phone, browser);
	}

	TestBrowser console(String name, OperatorRole role, String language) {
		return ConsoleSignIn.signedIn(ConsoleSignIn.operator(this.context, this.issuer, name, role), language);
	}

	static String search(String kind, String value, String reason) {
		return "/admin/people?kind=" + kind + "&value=" + enc(value) + "&reason=" + enc(reason);
	}

	static String enc(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	/** The person's page as the search result links it (the reason carried). */
	static String openLink(HttpResponse<String> results) {
		Matcher m = OPEN.matcher(results.body());
		assertThat(m.find()).as(results.body()).isTrue();
		return m.group(1).replace("&amp;", "&");
	}

	List<AuditTrail.Entry> reads(String accountId, String actor) {
		return this.trail.about(accountId)
			.stream()
			.filter(e -> e.type().equals(AuditTypes.PERSONAL_DATA_READ) && e.actor().equals(actor))
			.toList();
	}

	@Test
	void aViewerFindsAndReadsMaskedAndCannotEndSessions() {
		Someone person = someone();
		ConsoleSignIn.Operator viewerOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-viewer",
				OperatorRole.VIEWER);
		TestBrowser viewer = ConsoleSignIn.signedIn(viewerOperator, "en");

		HttpResponse<String> found = viewer.get(search("phone", person.phone(), "ticket TX-1 call"), "en");
		assertThat(found.statusCode()).isEqualTo(200);
		assertThat(found.body()).contains("data-account=\"" + person.accountId() + "\"").doesNotContain(person.phone());
		HttpResponse<String> page = viewer.get(openLink(found), "en");
		assertThat(page.statusCode()).isEqualTo(200);
		String masked = "*".repeat(person.phone().length() - 4) + person.phone().substring(person.phone().length() - 4);
		assertThat(page.body()).contains("data-testid=\"person\"")
			.contains("data-masked=\"true\"")
			.contains(masked)
			.doesNotContain(person.phone())
			.contains("data-testid=\"person-session\"")
			.contains("data-testid=\"person-sign-in\" data-success=\"true\"")
			.doesNotContain("data-action=\"end-sessions\"");

		// both the search and the view are on record: the operator, the reason, masked
		List<AuditTrail.Entry> reads = reads(person.accountId(), "admin:" + viewerOperator.accountId());
		assertThat(reads).extracting(e -> e.details().get("purpose")).containsExactly("operator-lookup", "operator-view");
		assertThat(reads).allSatisfy(e -> {
			assertThat(e.details()).containsEntry("reason", "ticket TX-1 call").containsEntry("masked", "true");
		});

		// a viewer's POST, with a good CSRF token, is refused and changes nothing
		HttpResponse<String> console = viewer.get("/admin", "en");
		assertThat(console.body()).contains("name=\"_csrf\"");
		HttpResponse<String> refused = viewer.submit(console, "/admin/people/" + person.accountId() + "/sessions/end",
				Map.of("reason", "trying"));
		assertThat(refused.statusCode()).isEqualTo(403);
		assertThat(refused.body()).contains("data-testid=\"console-forbidden\"");
		assertThat(person.browser().get("/account/activity").statusCode()).as("still signed in").isEqualTo(200);
		assertThat(this.trail.about(person.accountId())).noneMatch(e -> e.type().equals(People.SESSIONS_ENDED));
	}

	@Test
	void supportSeesClearDataAndEndsTheSessions() {
		Someone person = someone();
		ConsoleSignIn.Operator supportOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-support",
				OperatorRole.SUPPORT);
		TestBrowser support = ConsoleSignIn.signedIn(supportOperator, "en");
		HttpResponse<String> page = support.get(openLink(support.get(search("account", person.accountId(), "lost phone"), "en")),
				"en");
		assertThat(page.body()).contains("data-masked=\"false\"").contains(person.phone())
			.contains("data-action=\"end-sessions\"");

		HttpResponse<String> ended = support.submit(page, "/admin/people/" + person.accountId() + "/sessions/end",
				Map.of("reason", "lost phone"));
		assertThat(ended.statusCode()).isEqualTo(302);
		HttpResponse<String> after = support.follow(ended, null);
		assertThat(after.body()).contains("data-testid=\"person-notice\"")
			.contains("One session was ended")
			.contains("data-testid=\"person-no-sessions\"");
		// the person's own browser is signed out
		HttpResponse<String> activity = person.browser().get("/account/activity");
		assertThat(activity.statusCode()).isEqualTo(302);
		assertThat(activity.headers().firstValue("Location").orElseThrow()).contains("/login");
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.SESSIONS_ENDED))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).isEqualTo("admin:" + supportOperator.accountId());
				assertThat(e.details()).containsEntry("reason", "lost phone").containsEntry("sessions", "1");
			});
		assertThat(reads(person.accountId(), "admin:" + supportOperator.accountId()))
			.allSatisfy(e -> assertThat(e.details()).containsEntry("reason", "lost phone").containsEntry("masked", "false"));

		// without a reason: refused, nothing read and nothing done
		HttpResponse<String> noReason = support.submit(after, "/admin/people/" + person.accountId() + "/sessions/end",
				Map.of("reason", " "));
		assertThat(noReason.statusCode()).isEqualTo(400);
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.SESSIONS_ENDED)).hasSize(1);
	}

	@Test
	void supportStartsADeletionWithAConfirmationAndAViewerCannot() {
		Someone person = someone();
		ConsoleSignIn.Operator supportOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-support",
				OperatorRole.SUPPORT);
		TestBrowser support = ConsoleSignIn.signedIn(supportOperator, "en").postLanguage("en");
		String open = "/admin/people/" + person.accountId() + "?reason=" + enc("asked on the phone to delete");
		HttpResponse<String> page = support.get(open, "en");
		assertThat(page.body()).contains("data-testid=\"person-deletion\" data-state=\"none\"")
			.contains("data-action=\"start-deletion\"");

		// a viewer's POST is refused, even with a good CSRF token
		TestBrowser viewer = console("people-viewer", OperatorRole.VIEWER, "en");
		assertThat(viewer.get(open, "en").body()).doesNotContain("data-action=\"start-deletion\"");
		assertThat(viewer.submit(viewer.get("/admin", "en"), "/admin/people/" + person.accountId() + "/deletion",
				Map.of("reason", "x", "confirm", "yes")).statusCode()).isEqualTo(403);

		// not confirmed: nothing started
		HttpResponse<String> unconfirmed = support.submit(page, "/admin/people/" + person.accountId() + "/deletion",
				Map.of("reason", "asked on the phone to delete"));
		assertThat(unconfirmed.statusCode()).isEqualTo(400);
		assertThat(unconfirmed.body()).contains("Tick the box to confirm the deletion");
		assertThat(this.trail.about(person.accountId())).noneMatch(e -> e.type().equals(AuditTypes.DELETION_STEP));
		assertThat(person.browser().get("/account/activity").statusCode()).isEqualTo(200);

		HttpResponse<String> started = support.submit(support.get(open, "en"),
				"/admin/people/" + person.accountId() + "/deletion",
				Map.of("reason", "asked on the phone to delete", "confirm", "yes"));
		assertThat(started.statusCode()).isEqualTo(302);
		HttpResponse<String> after = support.follow(started, null);
		assertThat(after.body()).contains("The deletion was started.")
			.contains("data-testid=\"person-deletion\" data-state=\"pending\"")
			.doesNotContain("data-action=\"start-deletion\"")
			.contains("data-testid=\"person-no-sessions\"");
		assertThat(person.browser().get("/account/activity").statusCode()).as("signed out").isEqualTo(302);
		String actor = "admin:" + supportOperator.accountId();
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.DELETION_STARTED))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).isEqualTo(actor);
				assertThat(e.details()).containsEntry("reason", "asked on the phone to delete").containsKey("due_at");
			});
		// the deletion's own steps name the operator, and the apps are told an admin started it
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(AuditTypes.DELETION_STEP))
			.extracting(e -> e.actor() + " " + e.details().get("step"))
			.contains(actor + " requested", actor + " account-disabled-queued");

		// again over the API: the pending one is answered, nothing new started
		HttpResponse<String> again = api("POST", "/admin/api/people/" + person.accountId() + "/deletion",
				"{\"reason\":\"duplicate call\",\"confirm\":true}");
		assertThat(again.statusCode()).isEqualTo(200);
		assertThat(again.body()).contains("\"started\":false");
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.DELETION_STARTED)).hasSize(1);
	}

	@Test
	void theJsonApiStartsADeletionOnlyWhenConfirmed() {
		Someone person = someone();
		String path = "/admin/api/people/" + person.accountId() + "/deletion";
		assertThat(api("POST", path, "{\"reason\":\"asked by mail\"}").statusCode()).isEqualTo(400);
		HttpResponse<String> started = api("POST", path, "{\"reason\":\"asked by mail\",\"confirm\":true}");
		assertThat(started.statusCode()).isEqualTo(200);
		assertThat(started.body()).contains("\"started\":true").contains("\"due_at\":");
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.DELETION_STARTED))
			.singleElement()
			.satisfies(e -> assertThat(e.actor()).isEqualTo("admin:admin"));
		assertThat(api("GET", "/admin/api/people/" + person.accountId() + "?reason=check", null).body())
			.contains("\"deletion\":{\"requested_at\":");
	}

	String identityId(String accountId, String provider) {
		return this.accounts.identities(accountId).stream().filter(i -> i.provider().equals(provider)).findFirst()
			.orElseThrow().id();
	}

	@Test
	void anAdminUnlinksAWayInButNeverTheLastAndSupportCannot() {
		Someone person = someone();
		String phoneLink = identityId(person.accountId(), "phone");
		String devLink = identityId(person.accountId(), "dev");
		String open = "/admin/people/" + person.accountId() + "?reason=" + enc("lost the number");

		TestBrowser support = console("people-support", OperatorRole.SUPPORT, "en");
		HttpResponse<String> supportPage = support.get(open, "en");
		assertThat(supportPage.body()).doesNotContain("data-action=\"unlink-identity\"");
		assertThat(support.submit(supportPage, "/admin/people/" + person.accountId() + "/identities/" + phoneLink + "/unlink",
				Map.of("reason", "lost the number")).statusCode()).isEqualTo(403);
		assertThat(this.accounts.userFor(new IdentityKey("phone", person.phone()))).contains(person.accountId());

		ConsoleSignIn.Operator adminOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-admin",
				OperatorRole.ADMIN);
		TestBrowser admin = ConsoleSignIn.signedIn(adminOperator, "en").postLanguage("en");
		HttpResponse<String> page = admin.get(open, "en");
		assertThat(page.body()).contains("data-action=\"unlink-identity\" data-identity=\"" + phoneLink + "\"");
		HttpResponse<String> removed = admin.submit(page,
				"/admin/people/" + person.accountId() + "/identities/" + phoneLink + "/unlink", Map.of("reason", "lost the number"));
		assertThat(removed.statusCode()).isEqualTo(302);
		assertThat(admin.follow(removed, null).body()).contains("The way to sign in was removed.")
			.doesNotContain("data-provider=\"phone\"");
		assertThat(this.accounts.userFor(new IdentityKey("phone", person.phone()))).isEmpty();
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.IDENTITY_UNLINKED))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).isEqualTo("admin:" + adminOperator.accountId());
				assertThat(e.details()).containsEntry("reason", "lost the number").containsEntry("providers", "phone");
			});

		// the last way in stays
		HttpResponse<String> last = admin.submit(admin.get(open, "en"),
				"/admin/people/" + person.accountId() + "/identities/" + devLink + "/unlink", Map.of("reason", "lost the number"));
		assertThat(admin.follow(last, null).body()).contains("last way to sign in: it cannot be removed");
		assertThat(this.accounts.identities(person.accountId())).extracting(i -> i.provider()).containsExactly("dev");
		assertThat(this.trail.about(person.accountId())).filteredOn(e -> e.type().equals(People.IDENTITY_UNLINKED)).hasSize(1);
		HttpResponse<String> overApi = api("POST",
				"/admin/api/people/" + person.accountId() + "/identities/" + devLink + "/unlink", "{\"reason\":\"again\"}");
		assertThat(overApi.statusCode()).isEqualTo(409);
		assertThat(overApi.body()).contains("\"error\":\"last_login_method\"");
		assertThat(api("POST", "/admin/api/people/" + person.accountId() + "/identities/nope/unlink",
				"{\"reason\":\"again\"}").statusCode()).isEqualTo(404);
	}

	@Test
	void anAdminMergesTwoAccountsOnTheMergesRulesAndSupportCannot() {
		Someone into = someone();
		Someone from = someone();
		String open = "/admin/people/" + into.accountId() + "?reason=" + enc("same person, two phones");
		String action = "/admin/people/" + into.accountId() + "/merge";

		TestBrowser support = console("people-support", OperatorRole.SUPPORT, "en");
		HttpResponse<String> supportPage = support.get(open, "en");
		assertThat(supportPage.body()).doesNotContain("data-action=\"merge-accounts\"");
		assertThat(support.submit(supportPage, action, Map.of("from", from.accountId(), "reason", "x", "confirm", "yes"))
			.statusCode()).isEqualTo(403);

		ConsoleSignIn.Operator adminOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-admin",
				OperatorRole.ADMIN);
		TestBrowser admin = ConsoleSignIn.signedIn(adminOperator, "en").postLanguage("en");
		HttpResponse<String> page = admin.get(open, "en");
		assertThat(page.body()).contains("data-action=\"merge-accounts\"");
		HttpResponse<String> unconfirmed = admin.submit(page, action, Map.of("from", from.accountId(), "reason", "same person"));
		assertThat(unconfirmed.statusCode()).isEqualTo(400);
		assertThat(unconfirmed.body()).contains("Tick the box to confirm the merge");
		HttpResponse<String> itself = admin.submit(page, action,
				Map.of("from", into.accountId(), "reason", "same person", "confirm", "yes"));
		assertThat(itself.statusCode()).isEqualTo(409);
		assertThat(this.trail.about(into.accountId())).noneMatch(e -> e.type().equals(People.MERGED));

		HttpResponse<String> merged = admin.submit(page, action,
				Map.of("from", from.accountId(), "reason", "same person, two phones", "confirm", "yes"));
		assertThat(merged.statusCode()).isEqualTo(302);
		assertThat(admin.follow(merged, null).body()).contains("The other account was merged into this one.")
			.contains(from.phone()).contains(into.phone());
		assertThat(this.accounts.userFor(new IdentityKey("phone", from.phone()))).contains(into.accountId());
		assertThat(this.accounts.status(from.accountId()))
			.contains(dev.tongxing.server.account.AccountStatus.MERGED);
		assertThat(this.trail.about(into.accountId())).filteredOn(e -> e.type().equals(People.MERGED))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).isEqualTo("admin:" + adminOperator.accountId());
				assertThat(e.details()).containsEntry("merged", from.accountId())
					.containsEntry("reason", "same person, two phones");
			});
		// a merged account is not merged again, over the API either
		HttpResponse<String> again = api("POST", "/admin/api/people/" + into.accountId() + "/merge",
				"{\"from\":\"" + from.accountId() + "\",\"reason\":\"again\",\"confirm\":true}");
		assertThat(again.statusCode()).isEqualTo(409);
		assertThat(again.body()).contains("\"error\":\"not-active\"");
		Someone third = someone();
		assertThat(api("POST", "/admin/api/people/" + into.accountId() + "/merge",
				"{\"from\":\"" + third.accountId() + "\",\"reason\":\"third\"}").statusCode()).isEqualTo(400);
		HttpResponse<String> viaApi = api("POST", "/admin/api/people/" + into.accountId() + "/merge",
				"{\"from\":\"" + third.accountId() + "\",\"reason\":\"third\",\"confirm\":true}");
		assertThat(viaApi.statusCode()).isEqualTo(200);
		assertThat(this.accounts.userFor(new IdentityKey("phone", third.phone()))).contains(into.accountId());
	}

	@Test
	void anAdminDownloadsThePersonsDataExportWithAReasonAndSupportCannot() {
		Someone person = someone();
		String path = "/admin/people/" + person.accountId() + "/export?reason=" + enc("their written request");
		TestBrowser support = console("people-support", OperatorRole.SUPPORT, "en");
		assertThat(support.get(path, "en").statusCode()).isEqualTo(403);
		assertThat(support.get("/admin/people/" + person.accountId() + "?reason=x", "en").body())
			.doesNotContain("data-action=\"download-export\"");
		ConsoleSignIn.Operator adminOperator = ConsoleSignIn.operator(this.context, this.issuer, "people-admin",
				OperatorRole.ADMIN);
		TestBrowser admin = ConsoleSignIn.signedIn(adminOperator, "en");
		assertThat(admin.get("/admin/people/" + person.accountId() + "?reason=x", "en").body())
			.contains("data-action=\"download-export\"");
		assertThat(admin.get("/admin/people/" + person.accountId() + "/export", "en").statusCode()).isEqualTo(400);
		assertThat(this.trail.about(person.accountId()))
			.noneMatch(e -> "operator-export".equals(e.details().get("purpose")));
		HttpResponse<String> file = admin.get(path, "en");
		assertThat(file.statusCode()).isEqualTo(200);
		assertThat(file.headers().firstValue("Content-Disposition").orElseThrow()).startsWith("attachment;");
		assertThat(file.body()).contains("\"format\" : \"tongxing-personal-data/1\"")
			.contains("\"subject\" : \"" + person.accountId() + "\"")
			.contains(person.phone());
		assertThat(this.trail.about(person.accountId()))
			.filteredOn(e -> "operator-export".equals(e.details().get("purpose")))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.actor()).isEqualTo("admin:" + adminOperator.accountId());
				assertThat(e.details()).containsEntry("reason", "their written request").containsEntry("channel", "export");
			});
		HttpResponse<String> overApi = api("GET", "/admin/api/people/" + person.accountId() + "/export?reason=mail", null);
		assertThat(overApi.statusCode()).isEqualTo(200);
		assertThat(overApi.body()).contains(person.phone());
	}

	@Test
	void aReasonComesFirstAndMistakesAreSaidInBothLanguages() {
		Someone person = someone();
		TestBrowser viewer = console("people-viewer-2", OperatorRole.VIEWER, "en");
		int before = this.trail.about(person.accountId()).size();
		HttpResponse<String> ask = viewer.get("/admin/people/" + person.accountId(), "en");
		assertThat(ask.statusCode()).isEqualTo(200);
		assertThat(ask.body()).contains("data-testid=\"person-reason\"").doesNotContain("data-testid=\"person-identity\"");
		assertThat(viewer.get(search("phone", person.phone(), ""), "en").statusCode()).isEqualTo(400);
		assertThat(this.trail.about(person.accountId())).as("nothing read, nothing audited").hasSize(before);

		HttpResponse<String> badPhone = viewer.get(search("phone", "13900139000", "call"), "zh-CN");
		assertThat(badPhone.statusCode()).isEqualTo(400);
		assertThat(badPhone.body()).contains("请按 E.164 格式填写手机号");
		HttpResponse<String> none = viewer.get(search("unionid", "no-such-union", "call"), "en");
		assertThat(none.statusCode()).isEqualTo(404);
		assertThat(none.body()).contains("data-testid=\"people-none\"").contains("No account found.");
	}

	@Test
	void bothLanguagesRenderEveryText() {
		Someone person = someone();
		// a complaint opened with the person's number belongs to their page
		HttpResponse<String> form = person.browser().get("/login/help");
		HttpResponse<String> opened = person.browser().submit(form, "/login/help", Map.of("contact",
				person.phone().substring(3), "method", "phone", "description", "cannot sign in", "happenedAt", ""));
		assertThat(opened.statusCode()).as(opened.body()).isEqualTo(302);
		for (String language : List.of("en", "zh-CN")) {
			TestBrowser support = console("people-support-" + language, OperatorRole.SUPPORT, language);
			HttpResponse<String> search = support.get("/admin/people", language);
			HttpResponse<String> page = support.get(openLink(support.get(search("phone", person.phone(), "complaint"), language)),
					language);
			for (HttpResponse<String> each : List.of(search, page)) {
				assertThat(each.statusCode()).isEqualTo(200);
				assertThat(each.body()).as("no message missing").doesNotContain("??");
			}
			assertThat(page.body()).contains("data-testid=\"person-complaint\"").contains("data-provider=\"phone\"");
			if (language.equals("en")) {
				assertThat(search.body()).contains("Find by").contains("Reason");
				assertThat(page.body()).contains("Ways to sign in").contains("Consent records").contains("Connected apps")
					.contains("Sign-ins, last 90 days").contains("Complaints").contains("Active");
			}
			else {
				assertThat(search.body()).contains("查找方式").contains("原因");
				assertThat(page.body()).contains("登录方式").contains("同意记录").contains("已连接的应用")
					.contains("最近 90 天的登录").contains("投诉").contains("正常");
			}
		}
	}

	@Test
	void theJsonApiReadsWithAReasonAndEndsSessions() {
		Someone person = someone();
		HttpResponse<String> noReason = api("GET", "/admin/api/people/" + person.accountId(), null);
		assertThat(noReason.statusCode()).isEqualTo(400);
		HttpResponse<String> read = api("GET", "/admin/api/people/" + person.accountId() + "?reason=" + enc("ticket 7"), null);
		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).contains("\"account_id\":\"" + person.accountId() + "\"")
			.contains("\"masked\":false")
			.contains("\"key\":\"" + person.phone() + "\"")
			.contains("\"sessions\":[{\"ref\"")
			.contains("\"sign_ins\":[{");
		assertThat(reads(person.accountId(), "admin:admin")).singleElement()
			.satisfies(e -> assertThat(e.details()).containsEntry("reason", "ticket 7").containsEntry("purpose", "operator-view"));
		assertThat(api("GET", "/admin/api/people/u-nobody?reason=x", null).statusCode()).isEqualTo(404);

		assertThat(api("POST", "/admin/api/people/" + person.accountId() + "/sessions/end", "{}").statusCode()).isEqualTo(400);
		HttpResponse<String> ended = api("POST", "/admin/api/people/" + person.accountId() + "/sessions/end",
				"{\"reason\":\"account taken over\"}");
		assertThat(ended.statusCode()).isEqualTo(200);
		assertThat(ended.body()).contains("\"sessions_ended\":1");
		assertThat(person.browser().get("/account/activity").statusCode()).isEqualTo(302);
	}

	HttpResponse<String> api(String method, String path, String json) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes(StandardCharsets.UTF_8)))
				.header("Accept", "application/json");
			if (json == null) {
				request.method(method, HttpRequest.BodyPublishers.noBody());
			}
			else {
				request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
			}
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (java.io.IOException | InterruptedException ex) {
			throw new AssertionError(ex);
		}
	}

}
