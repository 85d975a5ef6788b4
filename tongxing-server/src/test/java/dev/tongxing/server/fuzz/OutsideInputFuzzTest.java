package dev.tongxing.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Hostile input, generated from a fixed seed (so a failure repeats), at every endpoint that
 * parses what outsiders send: the authorization and token endpoints (every grant, the token exchange's subject
 * tokens), introspection, revocation, userinfo's header, the login callbacks, the phone and complaint forms.
 * No input may give a 5xx, or log an error with a stack trace. CI runs {@value #DEFAULT_TRIES} requests per
 * endpoint; {@code -Dtongxing.fuzz.tries=N -Dtongxing.fuzz.seed=S} runs longer or other ones.
 */
class OutsideInputFuzzTest extends GatewayTest {

	static final int DEFAULT_TRIES = 200;

	final int tries = Integer.getInteger("tongxing.fuzz.tries", DEFAULT_TRIES);

	final long seed = Long.getLong("tongxing.fuzz.seed", 20261203L);

	final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	final List<String> errors = new CopyOnWriteArrayList<>();

	final AppenderBase<ILoggingEvent> watcher = new AppenderBase<>() {
		@Override
		protected void append(ILoggingEvent event) {
			if (event.getLevel().isGreaterOrEqual(Level.ERROR) || event.getThrowableProxy() != null
					&& event.getLevel().isGreaterOrEqual(Level.WARN)) {
				OutsideInputFuzzTest.this.errors.add(event.getLoggerName() + ": " + event.getFormattedMessage()
						+ (event.getThrowableProxy() == null ? "" : " / " + event.getThrowableProxy().getClassName()));
			}
		}
	};

	@BeforeEach
	void watchTheLog() {
		this.watcher.start();
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).addAppender(this.watcher);
	}

	@AfterEach
	void stopWatching() {
		((Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).detachAppender(this.watcher);
	}

	/** Values a broken client or an attacker sends, besides arbitrary characters. */
	static final List<String> NASTY = List.of("%", "%ff", "%zz", "%00", "%e4%b8", "%c0%af", "%%", "+", "&", "=", "\u0000",
			"\r\n", "'\"<script>", "../../etc/passwd", "${jndi:ldap://x}", "eyJhbGciOiJub25lIn0.e30.",
			"eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.sig", "urn:ietf:params:oauth:token-type:jwt",
			"urn:tongxing:token-type:wechat-code", "urn:tongxing:token-type:carrier-token", "authorization_code",
			"refresh_token", "client_credentials", "urn:ietf:params:oauth:grant-type:token-exchange", "S256", "plain",
			"openid", "openid profile phone offline_access", "-1", "99999999999999999999", "1e309", "null", "[]", "{}");

	/** One hostile string: any characters, ASCII, a nasty value, something huge, or nothing. */
	static String hostile(Random random) {
		int kind = random.nextInt(12);
		if (kind < 4) {
			StringBuilder any = new StringBuilder();
			for (int i = random.nextInt(64); i > 0; i--) {
				int cp = random.nextInt(10) < 7 ? random.nextInt(0x80) : random.nextInt(0x10FFFF);
				if (Character.isValidCodePoint(cp) && !(cp >= 0xD800 && cp <= 0xDFFF)) {
					any.appendCodePoint(cp);
				}
			}
			return any.toString();
		}
		if (kind < 7) {
			StringBuilder ascii = new StringBuilder();
			for (int i = random.nextInt(300); i > 0; i--) {
				ascii.append((char) (0x20 + random.nextInt(0x5f)));
			}
			return ascii.toString();
		}
		if (kind < 10) {
			return NASTY.get(random.nextInt(NASTY.size()));
		}
		if (kind < 11) {
			return "a".repeat(4000 + random.nextInt(5000));
		}
		return "";
	}

	/** A query or form body: names we read and others, hostile values, some repeated, some not encoded. */
	static String parameters(Random random, List<String> names) {
		List<String> pairs = new ArrayList<>();
		for (int i = random.nextInt(13); i > 0; i--) {
			String name = random.nextInt(4) > 0 ? names.get(random.nextInt(names.size())) : hostile(random);
			String value = hostile(random);
			pairs.add(random.nextInt(4) > 0
					? URLEncoder.encode(name, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8)
					: name + "=" + value);
		}
		return String.join("&", pairs);
	}

	List<String> samples(java.util.function.Function<Random, String> generator, long salt) {
		Random random = new Random(this.seed + salt);
		List<String> out = new ArrayList<>();
		for (int i = 0; i < this.tries; i++) {
			out.add(generator.apply(random));
		}
		return out;
	}

	HttpResponse<String> send(String method, String path, String body, Map<String, String> headers) {
		try {
			HttpRequest.Builder request;
			// a raw query may not even be a valid URI: then the client refuses it, as it would refuse to send it
			URI uri = URI.create(this.issuer + path);
			request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20));
			headers.forEach(request::header);
			if ("POST".equals(method)) {
				if (!headers.containsKey("Content-Type")) {
					request.header("Content-Type", "application/x-www-form-urlencoded");
				}
				request.POST(HttpRequest.BodyPublishers.ofString(body));
			}
			else {
				request.GET();
			}
			return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IllegalArgumentException notAUri) {
			return null;
		}
		catch (Exception ex) {
			throw new AssertionError(method + " " + path + " failed: " + ex, ex);
		}
	}

	void fuzz(String method, String path, List<String> names, Map<String, String> headers, long salt) {
		int sent = 0;
		for (String input : samples(random -> parameters(random, names), salt)) {
			String target = "GET".equals(method) ? path + (input.isEmpty() ? "" : "?" + safeQuery(input)) : path;
			HttpResponse<String> response = send(method, target, input, headers);
			if (response == null) {
				continue;
			}
			sent++;
			assertThat(response.statusCode()).as("%s %s with %s", method, path, abbreviate(input)).isLessThan(500);
			assertThat(response.body()).as("%s %s with %s", method, path, abbreviate(input))
				.doesNotContain("Exception").doesNotContain("\tat ");
		}
		assertThat(sent).isPositive();
		assertThat(this.errors).as("errors logged while fuzzing %s %s", method, path).isEmpty();
	}

	/** A query string the HTTP client accepts: characters a URI may not hold are percent-encoded as sent. */
	static String safeQuery(String query) {
		StringBuilder out = new StringBuilder();
		for (char c : query.toCharArray()) {
			if (c < 0x21 || c > 0x7e || "\"<>\\^`{|}#".indexOf(c) >= 0) {
				out.append(URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8));
			}
			else {
				out.append(c);
			}
		}
		return out.toString();
	}

	static String abbreviate(String input) {
		return input.length() > 200 ? input.substring(0, 200) + "…(" + input.length() + ")" : input;
	}

	static String basic(String client, String secret) {
		return "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8));
	}

	@Test
	void theTokenEndpointWithEveryGrant() {
		List<String> names = List.of("grant_type", "code", "redirect_uri", "code_verifier", "refresh_token", "scope",
				"subject_token", "subject_token_type", "appid", "phone_code", "phone_consent", "policy_version",
				"client_id", "client_secret", "resource", "audience");
		fuzz("POST", "/oauth2/token", names, Map.of("Authorization", basic("live-app", "app-secret")), 1);
		fuzz("POST", "/oauth2/token", names, Map.of(), 2);
		fuzz("POST", "/oauth2/token", names, Map.of("Authorization", "Basic %%%not-base64"), 3);
	}

	@Test
	void theAuthorizationEndpoint() {
		fuzz("GET", "/oauth2/authorize", List.of("response_type", "client_id", "redirect_uri", "scope", "state",
				"code_challenge", "code_challenge_method", "nonce", "prompt", "max_age", "response_mode", "request",
				"request_uri", "login_hint", "ui_locales", "id_token_hint", "claims"), Map.of(), 4);
	}

	@Test
	void introspectionRevocationAndUserinfo() {
		fuzz("POST", "/oauth2/introspect", List.of("token", "token_type_hint"),
				Map.of("Authorization", basic("backend", "backend-secret")), 5);
		fuzz("POST", "/oauth2/revoke", List.of("token", "token_type_hint"),
				Map.of("Authorization", basic("live-web", "s3cret")), 6);
		for (String header : samples(OutsideInputFuzzTest::hostile, 7)) {
			String value = header.chars().allMatch(c -> c >= 0x20 && c < 0x7f) ? header : "x";
			HttpResponse<String> response = send("GET", "/userinfo", "", Map.of("Authorization", "Bearer " + value));
			assertThat(response.statusCode()).as("userinfo with %s", abbreviate(value)).isLessThan(500);
		}
		assertThat(this.errors).isEmpty();
	}

	@Test
	void theLoginCallbacksAndForms() {
		fuzz("GET", "/login/wechat/callback", List.of("code", "state", "appid"), Map.of(), 8);
		fuzz("GET", "/login", List.of("error", "continue", "client_id"), Map.of(), 9);
		fuzz("GET", "/login/help", List.of("method", "contact"), Map.of(), 10);
		fuzz("GET", "/privacy/policy", List.of("version"), Map.of(), 11);
		fuzz("GET", "/login/oidc/up/callback", List.of("code", "state", "error", "iss"), Map.of(), 12);
	}

	@Test
	void wechatsPushesAndTheFollowPages() {
		List<String> signed = List.of("signature", "timestamp", "nonce", "echostr", "encrypt_type", "msg_signature",
				"openid");
		fuzz("GET", "/wechat/follow/messages", signed, Map.of(), 13);
		fuzz("POST", "/wechat/follow/messages", signed, Map.of(), 14);
		fuzz("GET", "/login/wechat-follow/scan", List.of("state"), Map.of(), 15);
		fuzz("GET", "/login/wechat-follow/status", List.of("state"), Map.of(), 16);
		fuzz("GET", "/login/wechat-follow/callback", List.of("state"), Map.of(), 17);
	}

	@Test
	void theSmsProvidersReceiptPushes() {
		// the query alone (the token among hostile names and values), as a form
		fuzz("POST", "/sms/receipts/tencent", List.of("token"), Map.of(), 18);
		fuzz("POST", "/sms/receipts/aliyun", List.of("token"), Map.of(), 19);
		// hostile JSON behind the right token (application-test.yml sets it): reports with the fields each provider
		// sends, and others, holding hostile values, some not even JSON
		List<String> fields = List.of("sid", "report_status", "errmsg", "mobile", "user_receive_time", "biz_id",
				"success", "err_code", "phone_number", "report_time");
		java.util.Set<Integer> statuses = new java.util.TreeSet<>();
		for (String provider : List.of("tencent", "aliyun")) {
			for (String body : samples(random -> jsonReports(random, fields), provider.length() + 20)) {
				String path = "/sms/receipts/" + provider + "?token=receipts-token-for-tests-" + provider;
				HttpResponse<String> response = send("POST", path, body,
						Map.of("Content-Type", "application/json"));
				assertThat(response.statusCode()).as("%s with %s", path, abbreviate(body)).isLessThan(500);
				assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
				statuses.add(response.statusCode());
			}
		}
		assertThat(statuses).as("past the token, into the parser").contains(400).doesNotContain(401, 404);
		assertThat(this.errors).as("errors logged while fuzzing the receipt pushes").isEmpty();
	}

	/** An array of report objects with known and hostile fields and values, or a hostile text now and then. */
	static String jsonReports(Random random, List<String> fields) {
		if (random.nextInt(8) == 0) {
			return hostile(random);
		}
		tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.shared();
		List<Object> reports = new ArrayList<>();
		for (int i = random.nextInt(6); i > 0; i--) {
			Map<String, Object> report = new java.util.LinkedHashMap<>();
			for (int j = random.nextInt(8); j > 0; j--) {
				String name = random.nextInt(4) > 0 ? fields.get(random.nextInt(fields.size())) : hostile(random);
				Object value = switch (random.nextInt(6)) {
					case 0 -> random.nextBoolean();
					case 1 -> random.nextLong();
					case 2 -> List.of(hostile(random));
					case 3 -> random.nextBoolean() ? "SUCCESS" : "FAIL";
					default -> hostile(random);
				};
				report.put(name, value);
			}
			reports.add(random.nextInt(10) == 0 ? hostile(random) : report);
		}
		String body = json.writeValueAsString(reports);
		return random.nextInt(10) == 0 ? body.substring(0, random.nextInt(body.length() + 1)) : body;
	}

	static String join(Map<String, String> form) {
		return form.entrySet().stream()
			.map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}


}
