package dev.tongxing.server.breach;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * What the incident tests share: people with audit entries of their own (a client id of each test's own, so
 * entries of other tests never match), a filled-in incident, and a clock put back after each test.
 */
abstract class BreachTestSupport extends GatewayTest {

	@Autowired
	Breaches breaches;

	@Autowired
	SmsNotices smsNotices;

	@Autowired
	NoticeTexts texts;

	@Autowired
	AuditLog audit;

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	MutableClock clock;

	@Autowired
	BreachProperties properties;

	@Autowired
	dev.tongxing.server.minors.Minors minors;

	/** This test's own client id. */
	final String client = "breach-test-" + UUID.randomUUID().toString().substring(0, 8);

	@BeforeEach
	@AfterEach
	void calm() {
		this.clock.reset();
		// SMS left queued by another test must not be sent by this one's batches
		this.jdbc.sql("UPDATE breach_person SET sms_status = 'failed', sms_failure = 'test over' "
				+ "WHERE sms_status IN ('pending', 'queued', 'sending')").update();
	}

	record Person(String id, String phone) {
	}

	/** A person who signs in by phone (null: by the dev login only, no phone bound). */
	Person person(boolean withPhone) {
		String suffix = UUID.randomUUID().toString().replace("-", "");
		if (withPhone) {
			String phone = "+86139" + String.format("%08d", Math.floorMod(suffix.hashCode(), 100_000_000));
			String id = this.accounts.signIn(new ExternalIdentity("phone", phone, null)).id();
			return new Person(id, phone);
		}
		return new Person(this.accounts.signIn(new ExternalIdentity("dev", "b" + suffix.substring(0, 12), "B")).id(), null);
	}

	/** A person signed in through the dev login in {@code browser}, with a phone bound to the account. */
	Person signedIn(TestBrowser browser, String language) {
		String name = "p" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev", language), "/login/dev", Map.of("username", name)),
				null);
		String id = this.accounts.userFor(new ExternalIdentity.IdentityKey("dev", name)).orElseThrow();
		String phone = "+86137" + String.format("%08d", Math.floorMod(name.hashCode(), 100_000_000));
		this.accounts.link(id, new ExternalIdentity.IdentityKey("phone", phone), "phone");
		return new Person(id, phone);
	}

	/** An audit entry about the person, by this test's client, at a time of the test's choosing. */
	void entry(Person person, String type, Instant at) {
		entry(person, type, this.client, at);
	}

	void entry(Person person, String type, String clientId, Instant at) {
		this.audit.record(AuditEntry.of(type).actor("user:" + person.id()).subject(person.id()).client(clientId).at(at));
	}

	BreachDraft draft(Instant discovered) {
		return new BreachDraft(discovered, discovered.minusSeconds(86_400), discovered.minusSeconds(3_600),
				List.of("phone-number", "subject-identifier"),
				new Breach.Text("一台日志服务器的访问权限配置错误，外部可以读取其中的登录记录。",
						"A log server was misconfigured so that its sign-in records could be read from outside."),
				new Breach.Text("防火墙规则变更时遗漏了一条限制。", "A firewall rule was left out during a change."),
				new Breach.Text("他人可能知道您的手机号曾在本服务登录，并可能向您发送诈骗短信。",
						"Others may learn that your number signed in here and may send you scam messages."),
				new Breach.Text("我们已关闭外部访问、轮换了密钥并请第三方审计。",
						"We closed the outside access, rotated keys and asked for a third-party audit."),
				new Breach.Text("请警惕自称客服的来电和短信，不要透露验证码。",
						"Be wary of calls and messages claiming to be support; never share a code."),
				"privacy@tongxing.example, 400-800-0000");
	}

	Breach.Selection window(Instant from, Instant to) {
		return new Breach.Selection(from, to, List.of("token.issued", "login.succeeded"), List.of(this.client), List.of());
	}

	@Autowired
	org.springframework.context.ApplicationContext context;

	private TestBrowser console;

	/** The incidents' operator: recording and notifying change the gateway, so an admin of the console. */
	ConsoleSignIn.Operator consoleAdmin() {
		return ConsoleSignIn.operator(this.context, this.issuer, "breach-admin", OperatorRole.ADMIN);
	}

	/** An operator page, as the console admin signed in to the console sees it. */
	HttpResponse<String> consolePage(String path, String language) {
		if (this.console == null) {
			this.console = ConsoleSignIn.signedIn(consoleAdmin(), language);
		}
		return this.console.get(path, language);
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder()
			.encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

	HttpResponse<String> api(String method, String path, String json) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization", basic("admin", "admin"))
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
