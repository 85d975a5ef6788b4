package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Opening, following and answering tickets over HTTP; the failed logins they carry; what the tables hold. */
class ComplaintDeskTest extends ComplaintGatewayTest {

	static final String DESCRIPTION = "微信扫码后页面提示登录失败，试了三次都不行。My WeChat login fails after scanning.";

	@Test
	void aFailedWechatLoginIsAttachedToTheTicketOfTheSameBrowserWithItsExplanation() {
		TestBrowser browser = browser();
		failedWechatLogin(browser);
		Opened opened = submit(browser, "138 0013 8000", "wechat", DESCRIPTION);
		assertThat(opened.number()).matches(TicketNumbers.PATTERN);

		JsonNode ticket = adminJson("/admin/api/complaints/" + opened.number());
		assertThat(ticket.path("contact").asString()).isEqualTo("+8613800138000");
		assertThat(ticket.path("description").asString()).isEqualTo(DESCRIPTION);
		assertThat(ticket.path("failedLogins").asInt()).isEqualTo(1);
		JsonNode failure = ticket.path("failures").get(0);
		assertThat(failure.path("method").asString()).isEqualTo("wechat");
		assertThat(failure.path("cause").asString()).isEqualTo("APP_CREDENTIALS_INVALID");
		assertThat(failure.path("upstreamError").asString()).isEqualTo("/sns/oauth2/access_token errcode 40125");
		assertThat(failure.path("matchedBy").asString()).isEqualTo("session");
		assertThat(failure.path("explanation").asString()).contains("refused our app's credentials");
		assertThat(failure.path("action").asString()).contains("secret");
		assertThat(failure.path("upstreamAdvice").asString()).startsWith("40125");
		// operators read Chinese too
		JsonNode zh = JSON.readTree(admin("GET", "/admin/api/complaints/" + opened.number(), null, "zh-CN").body());
		assertThat(zh.path("failures").get(0).path("explanation").asString()).doesNotContain("credentials");
	}

	@Test
	void anotherBrowserOnTheSameAddressGetsTheFailureOnlyWithinTheAddressWindow() {
		failedWechatLogin(browser());
		// a fresh browser (no session) on the same address, within the hour: matched by address
		Opened sameAddress = submit("someone@example.com", DESCRIPTION);
		JsonNode failures = adminJson("/admin/api/complaints/" + sameAddress.number()).path("failures");
		assertThat(failures).hasSize(1);
		assertThat(failures.get(0).path("matchedBy").asString()).isEqualTo("address");

		// two hours later the address says too little; the browser that failed still has its session
		TestBrowser failing = browser();
		failedWechatLogin(failing);
		this.clock.advance(Duration.ofHours(2));
		Opened later = submit("later@example.com", DESCRIPTION);
		assertThat(adminJson("/admin/api/complaints/" + later.number()).path("failures")).isEmpty();
		Opened sameSession = submit(failing, "failing@example.com", "wechat", DESCRIPTION);
		JsonNode own = adminJson("/admin/api/complaints/" + sameSession.number()).path("failures");
		assertThat(own).hasSize(1);
		assertThat(own.get(0).path("matchedBy").asString()).isEqualTo("session");

		// after the session window nothing is left to attach, and the trail is purged
		this.clock.advance(Duration.ofHours(23));
		Opened dayLater = submit(failing, "failing2@example.com", "wechat", DESCRIPTION);
		assertThat(adminJson("/admin/api/complaints/" + dayLater.number()).path("failures")).isEmpty();
	}

	@Test
	void theTablesHoldNoContactOrTextInClear() {
		Opened opened = submit("Zhang.San@Example.COM", "我的手机号是 13900139000，登录时一直转圈。");
		TestBrowser person = browser();
		HttpResponse<String> page = person.get(opened.path());
		assertThat(person.submit(page, "/login/help/" + opened.number() + "/messages",
				Map.of("k", opened.key(), "message", "补充：用的是安卓手机 PRIVATE-DETAIL")).statusCode()).isEqualTo(302);
		assertThat(reply(opened.number(), "请问您的微信版本是多少？OPERATOR-WORDS").statusCode()).isEqualTo(201);

		Map<String, Object> row = this.jdbc.sql("SELECT * FROM complaint_ticket WHERE number = :n")
			.param("n", opened.number())
			.query()
			.singleRow();
		String everything = row.values().toString() + this.jdbc.sql("SELECT body_sealed, operator_name FROM complaint_message")
			.query()
			.listOfRows();
		assertThat(everything).doesNotContainIgnoringCase("zhang.san")
			.doesNotContainIgnoringCase("example.com")
			.doesNotContain("13900139000")
			.doesNotContain("转圈")
			.doesNotContain("PRIVATE-DETAIL")
			.doesNotContain("OPERATOR-WORDS")
			.doesNotContain(opened.key());
		assertThat(row.get("CONTACT_KIND") != null ? row.get("CONTACT_KIND") : row.get("contact_kind")).isEqualTo("email");
		// but the operator reads them, the domain lower-cased
		JsonNode ticket = adminJson("/admin/api/complaints/" + opened.number());
		assertThat(ticket.path("contact").asString()).isEqualTo("Zhang.San@example.com");
		assertThat(ticket.path("messages").findValuesAsString("body")).containsExactly(
				"补充：用的是安卓手机 PRIVATE-DETAIL", "请问您的微信版本是多少？OPERATOR-WORDS");
	}

	@Test
	void thePersonFollowsTheTicketAndSeesTheReplies() {
		Opened opened = submit("13800138000", DESCRIPTION);
		assertThat(opened.page().body()).contains(opened.number())
			.contains("data-testid=\"complaint-opened\"")
			.contains("First response due by")
			.contains("Waiting for our first response");
		assertThat(reply(opened.number(), "We reset the app secret; please try again.").statusCode()).isEqualTo(201);
		HttpResponse<String> page = browser().get(opened.path(), "zh-CN");
		assertThat(page.body()).contains("已答复").contains("We reset the app secret; please try again.").contains("客服");

		// a wrong key and an unknown number look alike
		HttpResponse<String> wrongKey = browser().get("/login/help/" + opened.number() + "?k=guess");
		HttpResponse<String> noKey = browser().get("/login/help/" + opened.number());
		HttpResponse<String> unknown = browser().get("/login/help/TX-2026-AAAA-AAAA?k=" + opened.key());
		HttpResponse<String> malformed = browser().get("/login/help/not-a-ticket?k=x");
		for (HttpResponse<String> response : List.of(wrongKey, noKey, unknown, malformed)) {
			assertThat(response.statusCode()).isEqualTo(404);
			assertThat(response.body()).contains("This page does not exist.").doesNotContain(opened.number() + "\"");
			assertReadable(response);
		}
		// the number as people type it
		String typed = opened.number().substring(0, 8).toLowerCase() + opened.number().substring(8).toLowerCase().replace('0', 'o');
		assertThat(browser().get("/login/help/" + typed + "?k=" + opened.key()).statusCode()).isEqualTo(200);

		// once closed, the person reads but cannot add (here: a page loaded before the operator closed it)
		TestBrowser person = browser();
		HttpResponse<String> before = person.get(opened.path());
		assertThat(admin("POST", "/admin/api/complaints/" + opened.number() + "/close", null).statusCode()).isEqualTo(200);
		HttpResponse<String> refused = person.submit(before, "/login/help/" + opened.number() + "/messages",
				Map.of("k", opened.key(), "message", "hello"));
		assertThat(refused.statusCode()).isEqualTo(409);
		assertThat(refused.body()).contains("此工单已关闭");
		assertReadable(refused);
		HttpResponse<String> closed = person.get(opened.path());
		assertThat(closed.body()).contains("This ticket is closed.").doesNotContain("data-action=\"add-message\"");
		assertThat(reply(opened.number(), "late").statusCode()).isEqualTo(409);
	}

	@Test
	void badInputGetsReadableErrorsInBothLanguages() {
		TestBrowser browser = browser();
		HttpResponse<String> form = browser.get("/login/help", "zh-CN");
		assertThat(form.body()).contains("登录遇到问题？")
			.contains("<option value=\"wechat\"")
			.contains("<option value=\"phone\"")
			.contains("<option value=\"other\"");
		HttpResponse<String> bad = browser.submit(form, "/login/help",
				Map.of("contact", "not a contact", "method", "telepathy", "description", "短", "happenedAt", "yesterday"));
		assertThat(bad.statusCode()).isEqualTo(400);
		assertThat(bad.body()).contains("data-field-error=\"contact\"")
			.contains("data-field-error=\"method\"")
			.contains("data-field-error=\"description\"")
			.contains("data-field-error=\"happenedAt\"")
			.contains("请输入手机号") // a form post carries no Accept-Language here: the default, Chinese
			.contains("value=\"not a contact\""); // what was typed stays
		assertReadable(bad);

		HttpResponse<String> zh = browser.get("/login/help", "zh-CN");
		HttpResponse<String> badZh = browser.submit(zh, "/login/help",
				Map.of("contact", "", "method", "", "description", "x".repeat(2001), "happenedAt", "2020-01-01T10:00"));
		assertThat(badZh.statusCode()).isEqualTo(400);
		assertThat(badZh.body()).contains("请输入手机号").contains("请选择您使用的登录方式").contains("5 到 2000")
			.contains("最近 30 天");
		assertReadable(badZh);

		// a landline is no contact we can answer by SMS; a form without its CSRF token is refused
		assertThat(browser.submit(browser.get("/login/help"), "/login/help",
				Map.of("contact", "010 6552 9988", "method", "phone", "description", DESCRIPTION)).statusCode())
			.isEqualTo(400);
		HttpResponse<String> forged = browser().post("/login/help",
				Map.of("contact", "13800138000", "method", "phone", "description", DESCRIPTION));
		assertThat(forged.statusCode()).isEqualTo(403);
		assertReadable(forged);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM complaint_ticket").query(Long.class).single()).isZero();

		// an empty message on the ticket page
		Opened opened = submit("13800138000", DESCRIPTION);
		TestBrowser person = browser();
		HttpResponse<String> empty = person.submit(person.get(opened.path()), "/login/help/" + opened.number() + "/messages",
				Map.of("k", opened.key(), "message", "   "));
		assertThat(empty.statusCode()).isEqualTo(400);
		assertThat(empty.body()).contains("请输入 1 到 2000 个字。");
		assertReadable(empty);
		assertThat(reply(opened.number(), "").statusCode()).isEqualTo(400);
		assertThat(admin("POST", "/admin/api/complaints/" + opened.number() + "/replies", "{not json").statusCode())
			.isEqualTo(400);
		assertThat(admin("GET", "/admin/api/complaints/TX-2026-ZZZZ-ZZZZ", null).statusCode()).isEqualTo(404);
	}

	@Test
	void oneAddressOrContactCannotFloodTheDesk() {
		for (int i = 0; i < 3; i++) {
			submit("13800138000", DESCRIPTION + i);
		}
		TestBrowser browser = browser();
		HttpResponse<String> fourth = browser.submit(browser.get("/login/help"), "/login/help",
				Map.of("contact", "+86 138-0013-8000", "method", "wechat", "description", DESCRIPTION));
		assertThat(fourth.statusCode()).isEqualTo(429);
		assertThat(fourth.body()).contains("之后可以再提交").contains("value=\"+86 138-0013-8000\"");
		assertReadable(fourth);

		submit("a@example.com", DESCRIPTION);
		submit("b@example.com", DESCRIPTION);
		// five from one address within the hour
		HttpResponse<String> sixth = browser.submit(browser.get("/login/help"), "/login/help",
				Map.of("contact", "c@example.com", "method", "wechat", "description", DESCRIPTION));
		assertThat(sixth.statusCode()).isEqualTo(429);
		assertThat(sixth.body()).contains("之后可以再提交");

		this.clock.advance(Duration.ofMinutes(61));
		submit("c@example.com", DESCRIPTION);
	}

	@Test
	void theTimeItHappenedIsReadInTheDesksZone() {
		TestBrowser browser = browser();
		HttpResponse<String> posted = browser.submit(browser.get("/login/help"), "/login/help", Map.of("contact",
				"13800138000", "method", "phone", "description", "The SMS code never came.", "happenedAt",
				java.time.LocalDateTime.ofInstant(this.clock.instant().minus(Duration.ofHours(1)),
						java.time.ZoneId.of("Asia/Shanghai")).withSecond(0).withNano(0).toString()));
		assertThat(posted.statusCode()).isEqualTo(302);
		java.util.regex.Matcher link = TICKET_LINK.matcher(posted.headers().firstValue("Location").orElseThrow());
		assertThat(link.find()).isTrue();
		java.time.Instant happened = java.time.Instant
			.parse(adminJson("/admin/api/complaints/" + link.group(1)).path("happenedAt").asString());
		assertThat(Duration.between(happened, this.clock.instant()).toMinutes()).isBetween(60L, 61L);
	}

	static void assertReadable(HttpResponse<String> response) {
		assertThat(response.body()).doesNotContain("Exception").doesNotContain("at dev.tongxing").doesNotContain("Whitelabel");
	}

}
