package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Base of the deletion tests on a running gateway (one shared context): sign-ins, tokens, the deletion pages. */
@Import(DeletionTestConfig.class)
abstract class DeletionGatewayTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	MutableClock clock;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountDeletion deletion;

	@Autowired
	RecordingSecurityEvents events;

	@Autowired
	AccountService accounts;

	@BeforeEach
	@AfterEach
	void realTime() {
		this.clock.reset();
		// SMS send limits remember the (moved) clock's times; phone tests start afresh
		this.jdbc.sql("DELETE FROM phone_code").update();
		this.jdbc.sql("DELETE FROM phone_send_gate").update();
	}

	static String newName() {
		return "d" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** A browser signed in with the dev test-user login. */
	TestBrowser signedIn(String name) {
		TestBrowser browser = browser();
		signIn(browser, name);
		return browser;
	}

	HttpResponse<String> signIn(TestBrowser browser, String name) {
		return browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
	}

	String userId(String devName) {
		return this.accounts.userFor(new ExternalIdentity.IdentityKey("dev", devName)).orElseThrow();
	}

	/** Tokens for live-web through the authorization-code flow of a signed-in browser. */
	OAuthClient.Reply tokens(TestBrowser browser) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		URI redirect = browser.authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", pkce)),
				"unused", CALLBACK);
		return oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code", "code",
				TestBrowser.query(redirect).get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
	}

	/** Asks for deletion on the page, ticking the box; returns the answer. */
	HttpResponse<String> requestDeletion(TestBrowser browser) {
		HttpResponse<String> page = browser.get("/account/delete");
		assertThat(page.statusCode()).as("the deletion page: %s", page.headers().map()).isEqualTo(200);
		return browser.submit(page, "/account/delete", Map.of("confirm", "yes"));
	}

	long steps(String userId, String step) {
		return this.jdbc
			.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'deletion.step' AND subject = :u AND details LIKE :s")
			.param("u", userId)
			.param("s", "%\"step\":\"" + step + "\"%")
			.query(Long.class)
			.single();
	}

	String pendingState(String userId) {
		return this.jdbc.sql("SELECT state FROM deletion_request WHERE user_id = :u ORDER BY requested_at DESC")
			.param("u", userId)
			.query(String.class)
			.list()
			.getFirst();
	}

	long sessions(String userId) {
		return this.jdbc.sql("SELECT COUNT(*) FROM SPRING_SESSION WHERE PRINCIPAL_NAME = :u")
			.param("u", userId)
			.query(Long.class)
			.single();
	}

	static String testId(HttpResponse<String> page, String testId) {
		Matcher m = Pattern.compile("data-testid=\"" + testId + "\"[^>]*>([^<]*)<").matcher(page.body());
		assertThat(m.find()).as("%s on %s", testId, page.body()).isTrue();
		return m.group(1);
	}

}
