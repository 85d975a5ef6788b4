package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A browser signed in to an account that is then merged into another one is signed out by the merge. */
class MergedAccountSessionsTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Test
	void theMergedAccountsSessionsEndAndTheSurvivorsStay() {
		TestBrowser merged = signedInAsNewUser();
		TestBrowser survivor = signedInAsNewUser();
		String mergedId = accountId(merged);
		String survivorId = accountId(survivor);

		this.accounts.merge(survivorId, mergedId, "dev");

		HttpResponse<String> closed = merged.get("/account");
		assertThat(closed.statusCode()).isEqualTo(302);
		assertThat(closed.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
		assertThat(merged.get("/account/passkeys").statusCode()).isEqualTo(302);
		assertThat(accountId(survivor)).isEqualTo(survivorId);
	}

	private TestBrowser signedInAsNewUser() {
		TestBrowser browser = browser();
		String name = "m" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> page = browser.get("/login/dev");
		browser.follow(browser.submit(page, "/login/dev", Map.of("username", name)), null);
		return browser;
	}

	private static String accountId(TestBrowser browser) {
		String body = browser.get("/account").body();
		var m = java.util.regex.Pattern.compile("data-testid=\"account-id\">([^<]+)<").matcher(body);
		assertThat(m.find()).as(body).isTrue();
		return m.group(1);
	}

}
