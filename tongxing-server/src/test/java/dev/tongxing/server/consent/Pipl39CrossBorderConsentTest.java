package dev.tongxing.server.consent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.oidc.ClaimRelease;
import dev.tongxing.server.testing.ConsentPages;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;

/**
 * PIPL Art. 38–39: a client that processes the data outside mainland China gets it only after the person's
 * separate consent, told who receives it, where, on which legal basis and how to reach them; until then its
 * tokens and userinfo carry no personal claims.
 */
class Pipl39CrossBorderConsentTest extends GatewayTest {

	static final String CALLBACK = "https://overseas.example.com/cb";

	@Autowired
	JdbcClient jdbc;

	@Autowired
	AccountService accounts;

	@Autowired
	ClaimRelease release;

	@Autowired
	RegisteredClientRepository clients;

	@Autowired
	ConsentRecords records;

	@Autowired
	PrivacyPolicies policies;

	record Started(TestBrowser browser, HttpResponse<String> consentPage, Pkce pkce, String user) {
	}

	Started signIn(String language) {
		TestBrowser browser = browser();
		String name = "x" + UUID.randomUUID().toString().substring(0, 8);
		Pkce pkce = Pkce.create();
		browser.follow(browser.get(new OAuthClient(this.issuer)
			.authorizeUri(OAuthClient.authorizeParams("overseas", CALLBACK, "openid profile", pkce))
			.toString(), language), null);
		HttpResponse<String> page = browser
			.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), CALLBACK);
		return new Started(browser, page, pkce, this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow());
	}

	@Test
	void theDialogSaysWhoReceivesTheDataAbroadWhereAndOnWhichBasisAndAsksSeparately() {
		Started started = signIn("en");
		String page = started.browser().get(started.consentPage().uri().toString(), "en").body();
		assertThat(page).contains("data-consent-item=\"cross-border\"")
			.contains("outside mainland China")
			.contains("Overseas Apps Pte. Ltd.")
			.contains("region &quot;sg&quot;")
			.contains("the standard contract for the export of personal information")
			.contains("privacy@overseas.example.com");
		// sharing alone is not enough
		HttpResponse<String> withoutIt = ConsentPages.agree(started.browser(), started.consentPage(),
				"third-party-sharing", "profile");
		assertThat(withoutIt.body()).contains("role=\"alert\"").contains("在中国大陆境外处理你的个人信息")
			.doesNotContain("data-testid=\"consent-confirm\"");
	}

	@Test
	void withTheSeparateConsentTheDataGoesAndTheRecordSaysSo() {
		Started started = signIn("en");
		HttpResponse<String> confirm = ConsentPages.agree(started.browser(), started.consentPage(),
				"third-party-sharing", "cross-border", "profile");
		assertThat(confirm.body()).contains("data-testid=\"consent-confirm\"").contains("data-consent-item=\"cross-border\"");
		HttpResponse<String> back = ConsentPages.confirm(started.browser(), confirm);
		URI redirect = URI.create(back.headers().firstValue("Location").orElseThrow());
		assertThat(redirect.toString()).startsWith(CALLBACK + "?code=");
		OAuthClient oauth = new OAuthClient(this.issuer);
		Reply tokens = oauth.post("/oauth2/token", "overseas", "overseas-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"),
						"redirect_uri", CALLBACK, "code_verifier", started.pkce().verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		assertThat(oauth.get("/userinfo", tokens.string("access_token")).json()).containsKey("name");
		assertThat(this.jdbc.sql("""
				SELECT purposes FROM consent_record WHERE subject = :s AND recipient_client = 'overseas'
				ORDER BY recorded_at DESC FETCH FIRST 1 ROWS ONLY""")
			.param("s", started.user())
			.query(String.class)
			.single()).contains("cross-border-transfer");
		assertThat(this.records.crossBorderConsented(started.user(), "overseas")).isTrue();
	}

	@Test
	void withoutItNoPersonalClaimLeavesAndTheRefusalIsAudited() {
		String user = this.accounts.signIn(new ExternalIdentity("dev",
				List.of(new IdentityKey("dev", "abroad-" + UUID.randomUUID())), new ExternalIdentity.Profile("Abroad", null, null)))
			.id();
		var overseas = this.clients.findByClientId("overseas");
		assertThat(this.release.release(overseas, user, Set.of("openid", "profile"), "userinfo")).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM audit_entry WHERE type = 'residency.cross-border-release-refused' AND subject = :s")
			.param("s", user).query(Long.class).single()).isPositive();
		// a client at home is not held back
		assertThat(this.release.release(this.clients.findByClientId("partner"), user, Set.of("openid", "profile"),
				"userinfo")).containsKey("name");

		this.records.record(ConsentRecords.Decision.of(user, this.policies.current(), ConsentRecords.State.GIVEN)
			.purposes(ConsentRecords.Purpose.LOGIN, ConsentRecords.Purpose.THIRD_PARTY_PROVISION,
					ConsentRecords.Purpose.CROSS_BORDER_TRANSFER)
			.dataCategories(List.of("nickname"))
			.recipient("overseas")
			.by(ConsentRecords.Method.DIALOG_CONFIRMED)
			.build());
		assertThat(this.release.release(overseas, user, Set.of("openid", "profile"), "userinfo")).containsKey("name");

		// withdrawn, it stops at once
		this.records.record(ConsentRecords.Decision.of(user, this.policies.current(), ConsentRecords.State.WITHDRAWN)
			.purposes(ConsentRecords.Purpose.LOGIN, ConsentRecords.Purpose.THIRD_PARTY_PROVISION)
			.recipient("overseas")
			.by(ConsentRecords.Method.DIALOG)
			.build());
		assertThat(this.release.release(overseas, user, Set.of("openid", "profile"), "userinfo")).isEmpty();
	}

	@Test
	void theDialogIsInChineseToo() {
		Started started = signIn("zh-CN");
		assertThat(started.browser().get(started.consentPage().uri().toString(), "zh-CN").body()).contains("中国大陆境外的接收方").contains("个人信息出境标准合同");
	}

}
