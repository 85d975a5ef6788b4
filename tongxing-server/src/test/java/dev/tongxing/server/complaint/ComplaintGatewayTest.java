package dev.tongxing.server.complaint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Base of the complaint-desk tests: the gateway with an escalation webhook pointing at a receiver of our own
 * (one Spring context for all of them), and a clean desk, real time and a healthy WeChat around each test.
 */
abstract class ComplaintGatewayTest extends GatewayTest {

	static final EscalationReceiver RECEIVER = new EscalationReceiver();

	static final JsonMapper JSON = JsonMapper.builder().build();

	static final Pattern TICKET_LINK = Pattern.compile("/login/help/(TX-[0-9A-Z-]+)\\?k=([A-Za-z0-9_%-]+)");

	@DynamicPropertySource
	static void escalationWebhook(DynamicPropertyRegistry registry) {
		registry.add("tongxing.complaints.escalation.webhook-url", RECEIVER::url);
		registry.add("tongxing.complaints.escalation.attempts", () -> 3);
		// the tests run the check themselves; the scheduled one stays out of their way
		registry.add("tongxing.complaints.check-interval", () -> "PT15M");
	}

	@Autowired
	MutableClock clock;

	@Autowired
	org.springframework.context.ApplicationContext context;

	private TestBrowser console;

	/** The desk's operator: replying to and closing tickets act for people, so support. */
	dev.tongxing.server.testing.ConsoleSignIn.Operator consoleSupport() {
		return dev.tongxing.server.testing.ConsoleSignIn.operator(this.context, this.issuer, "desk-support",
				dev.tongxing.server.console.OperatorRole.SUPPORT);
	}

	/** A browser signed in to the console as the desk's operator (once per test). */
	TestBrowser console() {
		if (this.console == null) {
			this.console = dev.tongxing.server.testing.ConsoleSignIn.signedIn(consoleSupport(), "en");
		}
		return this.console;
	}

	@Autowired
	JdbcClient jdbc;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	CircuitBreakerRegistry breakers;

	@BeforeEach
	@AfterEach
	void cleanDesk() {
		this.jdbc.sql("DELETE FROM complaint_ticket").update();
		this.jdbc.sql("DELETE FROM complaint_login_trail").update();
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
		this.breakers.getAllCircuitBreakers().forEach(b -> b.reset());
		this.clock.reset();
		RECEIVER.reset();
	}

	/** A ticket as its opener holds it: the number and the follow link's secret. */
	record Opened(String number, String key, HttpResponse<String> page) {

		String path() {
			return "/login/help/" + this.number + "?k=" + this.key;
		}

	}

	/** Submits the form in {@code browser} and follows to the ticket's page. */
	Opened submit(TestBrowser browser, String contact, String method, String description) {
		HttpResponse<String> form = browser.get("/login/help");
		assertThat(form.statusCode()).isEqualTo(200);
		HttpResponse<String> posted = browser.submit(form, "/login/help",
				Map.of("contact", contact, "method", method, "description", description, "happenedAt", ""));
		assertThat(posted.statusCode()).as(posted.body()).isEqualTo(302);
		String location = posted.headers().firstValue("Location").orElseThrow();
		Matcher link = TICKET_LINK.matcher(location);
		assertThat(link.find()).as(location).isTrue();
		HttpResponse<String> page = browser.get(location);
		assertThat(page.statusCode()).isEqualTo(200);
		return new Opened(link.group(1), link.group(2), page);
	}

	Opened submit(String contact, String description) {
		return submit(browser(), contact, "wechat", description);
	}

	/** A WeChat website login in {@code browser} that WeChat refuses with errcode 40125 (a bad app secret). */
	void failedWechatLogin(TestBrowser browser) {
		this.emulator.control().addFault(dev.tongxing.wechat.emulator.fault.FaultRule.errcode("/sns/oauth2/access_token", 40125, 1.0));
		HttpResponse<String> toWechat = browser.get("/login/wechat");
		assertThat(toWechat.statusCode()).isEqualTo(302);
		this.emulator.control().settings().autoApproveUser = DefaultFixture.ALICE;
		HttpResponse<String> back = browser.follow(browser.get(toWechat.headers().firstValue("Location").orElseThrow()),
				this.issuer + "/login?");
		assertThat(back.headers().firstValue("Location").orElseThrow()).endsWith("/login?error=wechat.config");
		this.emulator.control().clearFaults();
		this.emulator.control().settings().autoApproveUser = null;
	}

	HttpResponse<String> admin(String method, String path, String json) {
		return admin(method, path, json, "en");
	}

	HttpResponse<String> admin(String method, String path, String json, String language) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + path))
				.header("Authorization", basic("admin", "admin"))
				.header("Accept-Language", language)
				.header("Content-Type", "application/json");
			request.method(method,
					json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
			return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	JsonNode adminJson(String path) {
		HttpResponse<String> response = admin("GET", path, null);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		return JSON.readTree(response.body());
	}

	HttpResponse<String> reply(String number, String message) {
		Map<String, String> body = new LinkedHashMap<>();
		body.put("message", message);
		return admin("POST", "/admin/api/complaints/" + number + "/replies", JSON.writeValueAsString(body));
	}

	static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
