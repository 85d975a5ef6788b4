package dev.tongxing.server.branding;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.openqa.selenium.JavascriptExecutor;

/**
 * Branding as a person sees it, in headless Chromium and in both languages: the deployment's name, logo (loaded),
 * colours (applied under the pages' Content-Security-Policy) and stylesheet, and a first-party client's own on the
 * login page of its authorization request, the login methods still there to click.
 */
class BrandingBrowserTest extends BrandedGatewayTest {

	private static final String CHALLENGE = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

	@ParameterizedTest
	@CsvSource({ "zh-CN, 星河账号, 星河直播", "en, Xinghe Account, Xinghe Live" })
	void theDeploymentsAndAFirstPartyClientsBrandingShow(String language, String product, String clientProduct) {
		try (Chromium browser = Chromium.start(language)) {
			browser.open(this.issuer + "/status");
			assertThat(browser.waitFor("[data-testid=brand-name]").getText()).isEqualTo(product);
			assertThat(browser.driver().getTitle()).endsWith(" · " + product);
			JavascriptExecutor js = (JavascriptExecutor) browser.driver();
			assertThat(js.executeScript("return document.querySelector('[data-testid=brand-logo]').naturalWidth"))
				.isEqualTo(32L);
			assertThat(js.executeScript(
					"return getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()"))
				.isEqualTo("#1a73e8");
			assertThat(js.executeScript(
					"return getComputedStyle(document.querySelector('[data-testid=brand]')).borderBottomColor"))
				.isEqualTo("rgb(255, 87, 34)");
			// the override folder's stylesheet applies after the built-in one
			assertThat(js.executeScript(
					"return getComputedStyle(document.querySelector('[data-testid=brand-name]')).letterSpacing"))
				.isNotEqualTo("normal");

			browser.open(this.issuer + "/oauth2/authorize?response_type=code&client_id=web-eddsa"
					+ "&redirect_uri=http://127.0.0.1:3000/callback&scope=openid%20profile&state=b1&code_challenge="
					+ CHALLENGE + "&code_challenge_method=S256");
			assertThat(browser.waitFor("[data-testid=brand-name]").getText()).isEqualTo(clientProduct);
			assertThat(browser.url()).endsWith("/login");
			assertThat(js.executeScript(
					"return getComputedStyle(document.documentElement).getPropertyValue('--primary').trim()"))
				.isEqualTo("#c0392b");
			assertThat(js.executeScript(
					"return getComputedStyle(document.querySelector('[data-testid=brand]')).borderBottomColor"))
				.isEqualTo("rgb(255, 87, 34)");
			// the page still works: the test user's way in is there to click
			browser.click("[data-provider=dev]");
			browser.waitFor("[data-user=alice]");
		}
	}

}
