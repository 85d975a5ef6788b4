package dev.tongxing.server.branding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The deployment's branding on the pages people see (login, consent, account, status, policy, error), the override
 * folder's files and templates, and a first-party client's branding on the sign-in pages of its requests only.
 */
class BrandingTest extends BrandedGatewayTest {

	private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

	/** An authorization request of a client nobody registered: the error page. */
	private static final String UNKNOWN_CLIENT = "/oauth2/authorize?response_type=code&client_id=nobody&scope=openid";

	@Test
	void everyUserFacingPageCarriesTheDeploymentsNameLogoColoursAndStylesheet() {
		TestBrowser browser = browser();
		for (String path : new String[] { "/login", "/status", "/privacy/policy", UNKNOWN_CLIENT }) {
			for (String[] language : new String[][] { { "zh-CN", "星河账号" }, { "en", "Xinghe Account" } }) {
				String body = browser.get(path, language[0]).body();
				assertThat(body).as(path + " " + language[0])
					.containsPattern("<title>[^<]*" + language[1] + "</title>")
					.contains("data-testid=\"brand-name\">" + language[1] + "<")
					.contains("data-testid=\"brand-logo\"")
					.contains("src=\"/branding/files/logo.svg\"")
					.contains("href=\"/branding/theme.css\"")
					.contains("href=\"/branding/files/branding.css\"")
					.doesNotContain("data-brand-client=");
			}
		}
		// the pages' own hooks are still there
		assertThat(browser.get("/login", "en").body()).contains("data-provider=\"dev\"").contains("data-testid=\"login-methods\"");
		assertThat(browser.get("/privacy/policy", "en").body()).contains("data-testid=\"privacy-policy\"")
			.contains("data-testid=\"brand-policy-contact\"")
			.contains("privacy@xinghe.example");
		assertThat(browser.get("/privacy/policy", "zh-CN").body()).contains("对本政策或您的个人信息有疑问，请联系：privacy@xinghe.example");
		assertThat(browser.get("/status", "en").body()).contains("<title>Service status · Xinghe Account</title>");
		assertThat(browser.get(UNKNOWN_CLIENT, "en").body()).contains("data-testid=\"error-message\"");
	}

	@Test
	void theAccountAndConsentPagesCarryItToo() {
		TestBrowser browser = browser();
		String name = "brand-" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		for (String path : new String[] { "/account", "/account/consents", "/account/activity" }) {
			String body = browser.get(path, "en").body();
			assertThat(body).as(path).contains("data-testid=\"brand-name\">Xinghe Account<")
				.contains("href=\"/branding/theme.css\"");
		}
		assertThat(browser.get("/account", "en").body()).contains("data-testid=\"account-name-form\"");
	}

	@Test
	void theThemeIsTheConfiguredColoursAndTheFolderIsServed() {
		TestBrowser browser = browser();
		HttpResponse<String> theme = browser.get("/branding/theme.css");
		assertThat(theme.statusCode()).isEqualTo(200);
		assertThat(theme.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/css");
		assertThat(theme.body()).isEqualTo(":root { --primary: #1a73e8; --accent: rgb(255, 87, 34); }\n");
		// the client's own colour over the deployment's accent; an unknown or unbranded client gets the deployment's
		assertThat(browser.get("/branding/theme.css?client=web-eddsa").body())
			.isEqualTo(":root { --primary: #c0392b; --accent: rgb(255, 87, 34); }\n");
		assertThat(browser.get("/branding/theme.css?client=partner").body()).isEqualTo(theme.body());
		HttpResponse<String> logo = browser.get("/branding/files/logo.svg");
		assertThat(logo.statusCode()).isEqualTo(200);
		assertThat(logo.body()).isEqualTo(LOGO);
		assertThat(browser.get("/branding/files/branding.css").body()).isEqualTo(EXTRA_CSS);
		assertThat(browser.get("/branding/files/../templates/login/sign-out.html").statusCode()).isNotEqualTo(200);
		assertThat(browser.get("/branding/files/nothing.png").statusCode()).isEqualTo(404);
	}

	@Test
	void aTemplateInTheFolderIsUsedBeforeTheBuiltInOneAndOthersFallThrough() {
		TestBrowser browser = browser();
		String name = "brand-" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		String page = browser.get("/logout/confirm", "en").body();
		assertThat(page).contains("data-testid=\"overridden-template\"")
			.contains("data-testid=\"sign-out-confirm\"")
			.contains("data-action=\"logout\"")
			.contains("data-testid=\"brand-name\">Xinghe Account<");
		// a template the folder does not have is the built-in one
		assertThat(browser.get("/login", "en").body()).contains("data-testid=\"login-methods\"")
			.doesNotContain("overridden-template");
	}

	@Test
	void aFirstPartyClientsBrandingIsOnTheSignInPagesOfItsRequestsOnly() {
		TestBrowser browser = browser();
		HttpResponse<String> authorize = browser.get("/oauth2/authorize?response_type=code&client_id=web-eddsa"
				+ "&redirect_uri=http://127.0.0.1:3000/callback&scope=openid%20profile&state=s1&code_challenge=" + CHALLENGE
				+ "&code_challenge_method=S256");
		assertThat(authorize.headers().firstValue("Location").orElseThrow()).endsWith("/login");
		String login = browser.get("/login", "zh-CN").body();
		assertThat(login).contains("data-brand-client=\"web-eddsa\"")
			.contains("data-testid=\"brand-name\">星河直播<")
			.contains("src=\"https://cdn.xinghe.example/live-logo.png\"")
			.contains("href=\"/branding/theme.css?client=web-eddsa\"")
			.containsPattern("<title>[^<]* · 星河直播</title>")
			.contains("data-provider=\"dev\"");
		assertThat(browser.get("/login", "en").body()).contains("data-testid=\"brand-name\">Xinghe Live<");
		// the same browser's other pages are the deployment's
		assertThat(browser.get("/status", "en").body()).contains("data-testid=\"brand-name\">Xinghe Account<")
			.doesNotContain("data-brand-client=");
		// another client's request: the deployment's
		TestBrowser other = browser();
		other.get("/oauth2/authorize?response_type=code&client_id=live-web"
				+ "&redirect_uri=http://127.0.0.1:3000/callback&scope=openid&state=s2&code_challenge=" + CHALLENGE
				+ "&code_challenge_method=S256");
		assertThat(other.get("/login", "en").body()).contains("data-testid=\"brand-name\">Xinghe Account<")
			.doesNotContain("data-brand-client=");
	}

}
