package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.StatementCounter;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.WechatEmulator;
import dev.tongxing.wechat.emulator.DefaultFixture;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * What each grant costs the database, counted at the JDBC driver: statements and commits made by the request
 * itself, and by the audit log's appender on its behalf (shared by every grant of a batch under load; here
 * each grant is alone in its batch). The README's table comes from this test's output; the bounds keep it
 * from growing unnoticed.
 */
@Import(GrantStatementsTest.Counting.class)
class GrantStatementsTest extends GatewayTest {

	@TestConfiguration
	static class Counting {

		@Bean
		static StatementCounter statementCounter() {
			return new StatementCounter();
		}

	}

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	StatementCounter counter;

	@Autowired
	WechatEmulator emulator;

	@Autowired
	org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository clients;

	/**
	 * The counter reset with the client in the lookup cache (by client id and by id), as a running gateway has
	 * it: the cache keeps an entry a second, and on a busy machine the sign-in before a grant can take longer,
	 * which would count a lookup the grant does not cost a warm gateway.
	 */
	private void resetWarm(String clientId) throws InterruptedException {
		var client = this.clients.findByClientId(clientId);
		this.clients.findById(client.getId());
		// and with the sign-in's own request threads done: what they still write after their response (a
		// session saved, say) is theirs, not the grant's
		long seen;
		do {
			seen = this.counter.counts("request").statements();
			Thread.sleep(250);
		}
		while (this.counter.counts("request").statements() != seen);
		this.counter.reset();
	}

	@Test
	void whatEachGrantCosts() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		// warm caches (client lookups, verified secrets) as a running gateway has them
		for (int i = 0; i < 2; i++) {
			oauth.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"));
		}
		this.counter.reset();
		assertThat(oauth.post("/oauth2/token", "backend", "backend-secret", Map.of("grant_type", "client_credentials"))
			.status()).isEqualTo(200);
		StatementCounter.Counts cc = report("client_credentials");
		assertThat(cc.statements()).as("client_credentials: no statement on the request thread").isZero();

		Pkce pkce = Pkce.create();
		URI redirect = new TestBrowser(this.issuer).authorize(URI.create(this.issuer
				+ "/oauth2/authorize?response_type=code&client_id=live-web&scope=openid%20profile%20offline_access"
				+ "&redirect_uri=" + CALLBACK + "&state=s1&code_challenge=" + pkce.challenge()
				+ "&code_challenge_method=S256"), "dora", CALLBACK);
		String code = TestBrowser.query(redirect).get("code");
		resetWarm("live-web");
		OAuthClient.Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type",
				"authorization_code", "code", code, "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		StatementCounter.Counts codeGrant = report("authorization_code");

		String refresh = tokens.string("refresh_token");
		for (int i = 0; i < 2; i++) {
			resetWarm("live-web");
			OAuthClient.Reply refreshed = oauth.post("/oauth2/token", "live-web", "s3cret",
					Map.of("grant_type", "refresh_token", "refresh_token", refresh));
			assertThat(refreshed.status()).as(refreshed.body()).isEqualTo(200);
			refresh = refreshed.string("refresh_token");
		}
		StatementCounter.Counts refreshGrant = report("refresh_token");

		String first = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.BOB);
		exchange(oauth, first); // the person's first sign-in creates the account; count a returning one
		resetWarm("live-app");
		OAuthClient.Reply exchanged = exchange(oauth,
				this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, DefaultFixture.BOB));
		assertThat(exchanged.status()).as(exchanged.body()).isEqualTo(200);
		StatementCounter.Counts exchange = report("token-exchange (WeChat mobile app, returning person)");

		// bounds as measured when this test was written: a change that adds work to a grant shows here
		assertThat(codeGrant.statements()).isLessThanOrEqualTo(12);
		assertThat(refreshGrant.statements()).isLessThanOrEqualTo(12);
		assertThat(exchange.statements()).isLessThanOrEqualTo(40);
	}

	private OAuthClient.Reply exchange(OAuthClient oauth, String code) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "urn:ietf:params:oauth:grant-type:token-exchange");
		form.put("subject_token", code);
		form.put("subject_token_type", "urn:tongxing:token-type:wechat-code");
		form.put("appid", DefaultFixture.MOBILE_APPID);
		form.put("scope", "openid profile offline_access");
		form.put("policy_version", "1");
		return oauth.post("/oauth2/token", "live-app", "app-secret", form);
	}

	private StatementCounter.Counts report(String grant) {
		StatementCounter.Counts request = this.counter.counts("request");
		StatementCounter.Counts appender = this.counter.counts("audit-appender");
		System.out.printf("grant cost | %s | request: %d statements, %d commits | audit appender: %d statements, %d commits%n",
				grant, request.statements(), request.commits(), appender.statements(), appender.commits());
		return request;
	}

}
