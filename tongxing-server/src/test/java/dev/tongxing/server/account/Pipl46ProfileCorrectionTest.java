package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** PIPL Art. 46: a person corrects the name the gateway holds, and their sign-ins no longer overwrite it. */
class Pipl46ProfileCorrectionTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aCorrectedNameIsKeptOverTheNicknameSignInsBring() {
		String upstream = "nick-" + UUID.randomUUID();
		ExternalIdentity identity = new ExternalIdentity("dev", List.of(new IdentityKey("dev", upstream)),
				new ExternalIdentity.Profile("Upstream Nick", null, null));
		String user = this.accounts.signIn(identity).id();
		this.accounts.correctDisplayName(user, "  王小明  ");
		assertThat(this.accounts.find(user).orElseThrow().displayName()).isEqualTo("王小明");
		assertThat(this.accounts.claims(user, java.util.Set.of("openid", "profile"))).containsEntry("name", "王小明");
		this.accounts.signIn(identity);
		assertThat(this.accounts.find(user).orElseThrow().displayName()).isEqualTo("王小明");
		// audited, without the name; stored sealed
		assertThat(this.jdbc.sql("SELECT details FROM audit_entry WHERE type = 'account.name-corrected' AND subject = :s")
			.param("s", user).query(String.class).single()).doesNotContain("王小明");
		assertThat(this.jdbc.sql("SELECT display_name FROM account_user WHERE id = :id").param("id", user)
			.query(String.class).single()).doesNotContain("王小明");
		for (String bad : new String[] { "", "   ", "x".repeat(41), "a\u0000b" }) {
			org.assertj.core.api.Assertions.assertThatThrownBy(() -> this.accounts.correctDisplayName(user, bad))
				.isInstanceOf(IllegalArgumentException.class);
		}
	}

	@Test
	void theAccountPageTakesTheCorrection() {
		TestBrowser browser = browser();
		String name = "fix-" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		HttpResponse<String> page = browser.get("/account");
		assertThat(page.body()).contains("data-testid=\"account-name-form\"").contains("data-action=\"correct-name\"");
		HttpResponse<String> saved = browser.submit(page, "/account/name", Map.of("name", "Corrected Name"));
		assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=name-corrected");
		assertThat(browser.get("/account").body()).contains("Corrected Name");
		HttpResponse<String> refused = browser.submit(page, "/account/name", Map.of("name", "y".repeat(41)));
		assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("notice=name-invalid");
		assertThat(browser.get(refused.headers().firstValue("Location").orElseThrow()).body()).contains("role=\"alert\"");
		assertThat(browser.get("/account").body()).contains("Corrected Name");
	}

}
