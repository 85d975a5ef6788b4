package dev.tongxing.server.deletion;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.Chromium;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * The pages in a real browser (zh-CN, the default language): from the account page to a confirmed deletion,
 * then signing in during the cooling-off and cancelling it.
 */
class DeletionBrowserTest extends DeletionGatewayTest {

	void signIn(Chromium browser, String name) {
		browser.open(this.issuer + "/login/dev");
		browser.waitFor("[data-testid=dev-login] input[name=username]").sendKeys(name);
		browser.click("[data-testid=dev-login] [data-action=sign-in]");
	}

	@Test
	void deleteFromTheAccountPageThenCancelBySigningIn() {
		String name = newName();
		try (Chromium browser = Chromium.start("zh-CN")) {
			signIn(browser, name);
			browser.waitFor("[data-testid=account-id]");
			browser.click("[data-action=delete-account]");
			browser.waitFor("[data-testid=deletion]");
			assertThat(browser.driver().findElement(By.cssSelector("h1")).getText()).isEqualTo("注销账号");
			assertThat(browser.driver().findElement(By.cssSelector("[data-testid=deletion-confirm-box]")).isSelected())
				.as("nothing pre-ticked")
				.isFalse();

			// confirming without the tick deletes nothing
			browser.click("[data-action=confirm]");
			assertThat(browser.waitFor("[data-testid=deletion-unconfirmed]").getText()).contains("请勾选确认框");
			assertThat(this.deletion.pending(userId(name))).isEmpty();

			browser.click("[data-testid=deletion-confirm-box]");
			browser.click("[data-action=confirm]");
			assertThat(browser.waitFor("[data-testid=deletion-requested] [data-testid=deletion-due]").getText())
				.contains("注销将于");
			String userId = userId(name);
			assertThat(pendingState(userId)).isEqualTo("pending");

			signIn(browser, name);
			browser.waitFor("[data-testid=deletion-pending]");
			browser.click("[data-action=cancel-deletion]");
			browser.waitFor("[data-testid=account-id]");
			assertThat(pendingState(userId)).isEqualTo("cancelled");
		}
	}

}
