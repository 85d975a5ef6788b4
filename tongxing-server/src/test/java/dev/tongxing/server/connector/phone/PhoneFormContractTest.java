package dev.tongxing.server.connector.phone;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import dev.tongxing.server.login.FormConnectorContract;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.PhoneConsentForm;
import dev.tongxing.server.testing.TestBrowser;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Phone and SMS code passes the contract of every connector whose proof is checked on the gateway's own page. The
 * SMS provider is a webhook on loopback that keeps the codes it was asked to send, and answers 503 while it is down.
 */
class PhoneFormContractTest extends FormConnectorContract {

	private static final Pattern NUMBER = Pattern.compile("\"phone\":\"([^\"]+)\"");

	private static final Pattern CODE = Pattern.compile("\"code\":\"([0-9]{6})\"");

	/** The latest code sent to each number. */
	static final Map<String, String> codes = new ConcurrentHashMap<>();

	static final AtomicInteger status = new AtomicInteger(200);

	static final FakeHttpServer provider = new FakeHttpServer() {
		@Override
		Reply handle(HttpExchange exchange, String body) {
			if (exchange.getRequestMethod().equals("HEAD")) {
				return new Reply(status.get() == 200 ? 405 : status.get(), "text/plain", "");
			}
			if (status.get() != 200) {
				return new Reply(status.get(), "text/plain", "busy");
			}
			Matcher number = NUMBER.matcher(body);
			Matcher code = CODE.matcher(body);
			if (number.find() && code.find()) {
				codes.put(number.group(1), code.group(1));
			}
			return new Reply(200, "text/plain", "");
		}
	};

	@DynamicPropertySource
	static void sender(DynamicPropertyRegistry registry) {
		registry.add("tongxing.sms.sender", () -> "webhook");
		registry.add("tongxing.sms.webhook-url", () -> provider.uri() + "sms");
	}

	@AfterAll
	static void stop() {
		provider.close();
	}

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	CircuitBreakerRegistry breakers;

	@BeforeEach
	@AfterEach
	void freshCodes() {
		this.clock.reset();
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	@Override
	protected String loginPath() {
		return "/login/phone";
	}

	@Override
	protected String method() {
		return "phone";
	}

	@Override
	protected List<String> people() {
		return List.of("+8613700137301", "+8613700137302");
	}

	/** The person asks for a code (ticking the phone-number notice's box) and reads it off the SMS. */
	@Override
	protected Proof prove(TestBrowser browser, String person) {
		// a minute after any earlier code to this number, so the resend interval never refuses
		this.clock.advance(Duration.ofSeconds(61));
		HttpResponse<String> page = browser.get(loginPath());
		HttpResponse<String> sent = browser.submit(page, "/login/phone/send",
				PhoneConsentForm.agreed(page, Map.of("phone", person)));
		assertThat(sent.body()).as("the code was sent").contains("role=\"status\"").doesNotContain("role=\"alert\"");
		String code = codes.get(person);
		assertThat(code).as("the provider got a code for %s", person).isNotNull();
		return new Proof("/login/phone/sign-in", Map.of("phone", person, "code", code), null, sent);
	}

	@Override
	protected Proof falsified(Proof genuine) {
		String wrong = genuine.form().get("code").equals("000000") ? "111111" : "000000";
		return new Proof(genuine.action(), Map.of("phone", genuine.form().get("phone"), "code", wrong), null,
				genuine.page());
	}

	/** The number and code typed on that browser's own page, its phone-number box ticked. */
	@Override
	protected Proof enteredIn(TestBrowser browser, Proof proof) {
		HttpResponse<String> page = browser.get(loginPath());
		return new Proof(proof.action(), PhoneConsentForm.agreed(page, proof.form()), null, page);
	}

	@Override
	protected boolean boundToTheBrowser() {
		return false;
	}

	@Override
	protected Optional<URI> next(HttpResponse<String> answer) {
		return answer.statusCode() == 302
				? Optional.of(answer.uri().resolve(answer.headers().firstValue("Location").orElseThrow()))
				: Optional.empty();
	}

	@Override
	protected boolean upstreamDown() {
		status.set(503);
		return true;
	}

	@Override
	protected void upstreamRestored() {
		status.set(200);
		this.breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
	}

	@Override
	protected HttpResponse<String> tryWhileDown(TestBrowser browser, String person) {
		this.clock.advance(Duration.ofSeconds(61));
		HttpResponse<String> page = browser.get(loginPath());
		return browser.submit(page, "/login/phone/send", PhoneConsentForm.agreed(page, Map.of("phone", person)));
	}

}
