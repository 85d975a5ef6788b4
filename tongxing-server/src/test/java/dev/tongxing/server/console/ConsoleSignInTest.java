package dev.tongxing.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The console's sign-in over HTTP: through the gateway's own login and a second factor; only operators; roles
 * enforced on every change; idle sessions end; Basic credentials and API tokens open the JSON API only.
 */
class ConsoleSignInTest extends GatewayTest {

	static final String BASIC = "Basic " + Base64.getEncoder().encodeToString("admin:admin".getBytes());

	@Autowired
	ApplicationContext context;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@AfterEach
	void clockBack() {
		this.clock.reset();
	}

	static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().substring(0, 8);
	}

	long audited(String type, String accountId, String detail) {
		return this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = :t AND subject = :s AND details LIKE :d")
			.param("t", type)
			.param("s", accountId)
			.param("d", "%" + detail + "%")
			.query(Long.class)
			.single();
	}

	HttpResponse<String> plain(String path, String authorization, String accept) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path)).header("Accept-Language", "en");
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		if (accept != null) {
			request.header("Accept", accept);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	@Test
	void anOperatorSignsInThroughTheGatewayWithASecondFactorAndOut() {
		ConsoleSignIn.Operator operator = ConsoleSignIn.operator(this.context, this.issuer, unique("cs"), OperatorRole.VIEWER);
		TestBrowser browser = browser();
		// not signed in: the sign-in page, as a 401; it remembers the page asked for
		HttpResponse<String> closed = browser.get("/admin/complaints");
		assertThat(closed.statusCode()).isEqualTo(401);
		assertThat(closed.body()).contains("data-testid=\"console-sign-in\"").contains("Sign in with Tongxing");
		// the first step signs in at the gateway; the console is not open before the code
		HttpResponse<String> secondFactor = ConsoleSignIn.firstStep(browser, operator.name(), "en");
		assertThat(secondFactor.uri().getPath()).isEqualTo("/admin/second-factor");
		assertThat(secondFactor.body()).contains("data-enrolled=\"true\"").doesNotContain("data-testid=\"totp-secret\"");
		HttpResponse<String> notYet = browser.get("/admin/complaints");
		assertThat(notYet.statusCode()).isEqualTo(302);
		assertThat(notYet.headers().firstValue("Location").orElseThrow()).endsWith("/admin/second-factor");
		HttpResponse<String> done = browser.submit(secondFactor, "/admin/second-factor", Map.of("code", operator.code()));
		assertThat(done.statusCode()).isEqualTo(302);
		assertThat(done.headers().firstValue("Location").orElseThrow()).contains("/admin/complaints");
		assertThat(browser.get("/admin/complaints").statusCode()).isEqualTo(200);
		HttpResponse<String> again = browser.get("/admin/second-factor"); // signed in already: the console
		assertThat(again.statusCode()).isEqualTo(302);
		assertThat(again.headers().firstValue("Location").orElseThrow()).endsWith("/admin");
		assertThat(audited(ConsoleSessions.SIGNED_IN, operator.accountId(), "\"second_factor\":\"totp\"")).isEqualTo(1);

		HttpResponse<String> index = browser.get("/admin");
		assertThat(index.statusCode()).isEqualTo(200);
		HttpResponse<String> out = browser.submit(index, "/admin/sign-out", Map.of());
		assertThat(out.statusCode()).isEqualTo(302);
		assertThat(out.headers().firstValue("Location").orElseThrow()).endsWith("/admin/signed-out");
		assertThat(browser.get("/admin/signed-out").body()).contains("data-testid=\"console-signed-out\"");
		assertThat(browser.get("/admin").statusCode()).isEqualTo(401);
		assertThat(audited(ConsoleSessions.SIGNED_OUT, operator.accountId(), "sign-out")).isEqualTo(1);
		// the person's own sign-in at the gateway is still there
		assertThat(browser.get("/account").statusCode()).isEqualTo(200);
	}

	@Test
	void someoneWithoutARoleIsRefusedInBothLanguages() {
		for (String language : new String[] { "en", "zh-CN" }) {
			String name = unique("cn");
			String accountId = ConsoleSignIn.account(this.context, this.issuer, name);
			TestBrowser browser = browser();
			HttpResponse<String> refused = ConsoleSignIn.firstStep(browser, name, language);
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.uri().getPath()).isEqualTo("/admin/refused");
			refused = browser.get("/admin/refused", language);
			assertThat(refused.statusCode()).isEqualTo(403);
			assertThat(refused.body()).contains("data-testid=\"console-refused\"")
				.contains(language.equals("en") ? "holds no operator role" : "没有运营角色");
			assertThat(browser.get("/admin").statusCode()).isEqualTo(401);
			assertThat(browser.get("/admin/second-factor").statusCode()).isEqualTo(401);
			assertThat(audited(ConsoleSessions.REFUSED, accountId, "not-an-operator")).isEqualTo(1);
		}
	}

	@Test
	void aViewerReadsButChangesNothingSupportAnswersPeopleAdminChangesTheGateway() {
		ConsoleSignIn.Operator operator = ConsoleSignIn.operator(this.context, this.issuer, unique("cv"), OperatorRole.VIEWER);
		TestBrowser viewer = ConsoleSignIn.signedIn(operator, "en");
		assertThat(viewer.get("/admin/complaints").statusCode()).isEqualTo(200);
		HttpResponse<String> queue = viewer.get("/admin"); // a page with a form, so with the CSRF token
		assertThat(queue.body()).contains("name=\"_csrf\"");
		assertThat(viewer.get("/admin/breaches").statusCode()).isEqualTo(200);
		HttpResponse<String> reply = viewer.submit(queue, "/admin/complaints/TX-2026-ZZZZ-ZZZZ/reply", Map.of("message", "hi"));
		assertThat(reply.statusCode()).isEqualTo(403);
		// (a form's post carries no Accept-Language: the gateway's default language)
		assertThat(reply.body()).contains("data-testid=\"console-forbidden\"").contains("您的运营角色不允许");
		assertThat(viewer.submit(queue, "/admin/complaints/TX-2026-ZZZZ-ZZZZ/close", Map.of()).statusCode()).isEqualTo(403);
		assertThat(viewer.submit(queue, "/admin/breaches", Map.of()).statusCode()).isEqualTo(403);

		// roles are read on every request: support may now answer people (an unknown ticket: 404, past the role check)
		ConsoleSignIn.operator(this.context, this.issuer, operator.name(), OperatorRole.SUPPORT);
		assertThat(viewer.submit(viewer.get("/admin"), "/admin/complaints/TX-2026-ZZZZ-ZZZZ/reply",
				Map.of("message", "hi")).statusCode()).isEqualTo(404);
		assertThat(viewer.submit(viewer.get("/admin"), "/admin/breaches", Map.of()).statusCode()).isEqualTo(403);
		// admin changes the gateway (an empty incident form: refused by the form, past the role check)
		ConsoleSignIn.operator(this.context, this.issuer, operator.name(), OperatorRole.ADMIN);
		assertThat(viewer.submit(viewer.get("/admin"), "/admin/breaches", Map.of()).statusCode()).isEqualTo(400);
		// and no role at all: the console's sign-in ends
		ConsoleSignIn.operator(this.context, this.issuer, operator.name());
		assertThat(viewer.get("/admin/complaints").statusCode()).isEqualTo(401);
		assertThat(audited(ConsoleSessions.SIGNED_OUT, operator.accountId(), "roles-removed")).isEqualTo(1);
	}

	@Test
	void anIdleConsoleSessionEnds() {
		ConsoleSignIn.Operator operator = ConsoleSignIn.operator(this.context, this.issuer, unique("ci"), OperatorRole.VIEWER);
		TestBrowser browser = ConsoleSignIn.signedIn(operator, "en");
		this.clock.advance(Duration.ofMinutes(14));
		assertThat(browser.get("/admin").statusCode()).isEqualTo(200); // activity: the 15 minutes start again
		this.clock.advance(Duration.ofMinutes(14));
		assertThat(browser.get("/admin").statusCode()).isEqualTo(200);
		this.clock.advance(Duration.ofMinutes(15).plusSeconds(1));
		HttpResponse<String> expired = browser.get("/admin");
		assertThat(expired.statusCode()).isEqualTo(401);
		assertThat(expired.body()).contains("data-testid=\"console-expired\"").contains("15 minutes without activity");
		assertThat(browser.get("/admin").statusCode()).isEqualTo(401);
		assertThat(audited(ConsoleSessions.SIGNED_OUT, operator.accountId(), "idle-timeout")).isEqualTo(1);
	}

	@Test
	void wrongCodesAreRefusedAuditedAndThrottled() throws Exception {
		ConsoleSignIn.Operator operator = ConsoleSignIn.operator(this.context, this.issuer, unique("cw"), OperatorRole.VIEWER);
		// from an address of its own, so the lockout it ends in touches no other test
		TestBrowser browser = new TestBrowser(this.issuer, InetAddress.getByName("127.0.0.3"));
		HttpResponse<String> page = ConsoleSignIn.firstStep(browser, operator.name(), "en");
		HttpResponse<String> wrong = browser.submit(page, "/admin/second-factor", Map.of("code", operator.wrongCode()));
		assertThat(wrong.statusCode()).isEqualTo(400);
		assertThat(wrong.body()).contains("data-testid=\"second-factor-error\"").contains("动态码不正确");
		assertThat(browser.submit(wrong, "/admin/second-factor", Map.of("code", "12ab<script>")).statusCode()).isEqualTo(400);
		assertThat(browser.get("/admin").statusCode()).isEqualTo(302); // still only the second-factor page
		assertThat(audited(ConsoleSessions.SECOND_FACTOR_FAILED, operator.accountId(), "\"step\":\"sign-in\"")).isEqualTo(2);
		HttpResponse<String> last = wrong;
		for (int i = 0; i < 30 && last.statusCode() != 429; i++) {
			last = browser.submit(last, "/admin/second-factor", Map.of("code", operator.wrongCode()));
		}
		assertThat(last.statusCode()).as("locked out after the lockout's max-failures").isEqualTo(429);
		assertThat(last.body()).contains("错误次数过多");
		// while locked out even the right code is refused, unchecked
		assertThat(browser.submit(last, "/admin/second-factor", Map.of("code", operator.code())).statusCode()).isEqualTo(429);
		assertThat(browser.get("/admin").statusCode()).isEqualTo(302);
		assertThat(audited(ConsoleSessions.SECOND_FACTOR_FAILED, operator.accountId(), "\"locked\":\"true\"")).isEqualTo(2);
	}

	@Test
	void basicAndApiTokensOpenTheJsonApiOnlyNotThePages() throws Exception {
		assertThat(plain("/admin/api/keys", BASIC, null).statusCode()).isEqualTo(200);
		assertThat(plain("/admin/complaints", BASIC, null).statusCode()).isEqualTo(401);
		HttpResponse<String> browserWithBasic = plain("/admin", BASIC, "text/html");
		assertThat(browserWithBasic.statusCode()).isEqualTo(401);
		assertThat(browserWithBasic.body()).contains("data-testid=\"console-sign-in\"");
		assertThat(plain("/admin/analytics", "Bearer whatever", null).statusCode()).isEqualTo(403);
		assertThat(plain("/admin/api/keys", null, null).statusCode()).isEqualTo(401);
	}

}
