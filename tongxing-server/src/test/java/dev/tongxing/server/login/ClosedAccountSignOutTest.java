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

/**
 * A browser signed in to an account that is then merged into another one is signed out at its next request:
 * no page (before, the account and passkeys pages still showed the closed account) and no authorization request
 * acts as it.
 */
class ClosedAccountSignOutTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	UserSessions sessions;

	@Test
	void aBrowserOfAMergedAccountIsSignedOutAndTheSurvivorsIsNot() {
		TestBrowser merged = signedInAsNewUser();
		TestBrowser survivor = signedInAsNewUser();
		String mergedId = accountId(merged);
		String survivorId = accountId(survivor);

		this.accounts.merge(survivorId, mergedId, "dev");

		HttpResponse<String> passkeys = merged.get("/account/passkeys");
		assertThat(passkeys.statusCode()).isEqualTo(302);
		assertThat(passkeys.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
		HttpResponse<String> account = merged.get("/account");
		assertThat(account.statusCode()).isEqualTo(302);
		assertThat(account.headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/login"));
		assertThat(accountId(survivor)).isEqualTo(survivorId);
	}

	@Test
	void theMergeItselfLeavesTheSessionsForWhatEndsAllAccess() {
		TestBrowser merged = signedInAsNewUser();
		TestBrowser survivor = signedInAsNewUser();
		String mergedId = accountId(merged);
		this.accounts.merge(accountId(survivor), mergedId, "dev");
		// not used since the merge: still there, so ending the person's access finds it under the old id
		assertThat(this.sessions.endAll(mergedId)).isEqualTo(1);
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
