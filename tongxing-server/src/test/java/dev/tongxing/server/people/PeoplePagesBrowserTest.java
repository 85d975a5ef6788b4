package dev.tongxing.server.people;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.console.OperatorRole;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.ConsoleSignIn;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;

/** In Chromium, in English and Chinese: a support operator finds a person by phone, opens them, ends their sessions. */
class PeoplePagesBrowserTest extends GatewayTest {

	@Autowired
	ApplicationContext context;

	@Autowired
	AccountService accounts;

	@Test
	void supportFindsAPersonByPhoneAndEndsTheirSessionsInEnglish() {
		findAndEnd("en", "+8613700137001", "Ways to sign in", "One session was ended, and the apps' tokens.");
	}

	@Test
	void supportFindsAPersonByPhoneAndEndsTheirSessionsInChinese() {
		findAndEnd("zh-CN", "+8613700137002", "登录方式", "已结束 1 个会话，各应用的令牌已失效。");
	}

	private void findAndEnd(String language, String phone, String identitiesHeading, String notice) {
		String name = "browser-person-" + language;
		TestBrowser person = browser();
		person.follow(person.submit(person.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		String id = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		this.accounts.link(id, new IdentityKey("phone", phone), "test");
		assertThat(person.get("/account/activity").statusCode()).isEqualTo(200);

		try (Chromium chromium = Chromium.start(language)) {
			ConsoleSignIn.signIn(chromium,
					ConsoleSignIn.operator(this.context, this.issuer, "browser-support", OperatorRole.SUPPORT));
			chromium.open(this.issuer + "/admin/people");
			chromium.waitFor("[data-testid=people-search-form] input[name=value]").sendKeys(phone);
			chromium.waitFor("[data-testid=people-search-form] input[name=reason]").sendKeys("TX-42");
			chromium.click("[data-action=find-person]");
			chromium.waitFor("[data-testid=people-result][data-account='" + id + "']");
			chromium.click("[data-action=open-person]");
			chromium.waitFor("[data-testid=person][data-account='" + id + "']");
			assertThat(chromium.driver().getPageSource()).contains(identitiesHeading);
			assertThat(chromium.waitFor("[data-testid=person-identity][data-provider=phone] [data-testid=identity-key]")
				.getText()).isEqualTo(phone);
			assertThat(chromium.waitFor("[data-testid=person-reason-given]").getText()).isEqualTo("TX-42");
			chromium.waitFor("[data-testid=person-session]");
			chromium.click("[data-action=end-sessions]");
			assertThat(chromium.waitFor("[data-testid=person-notice]").getText()).isEqualTo(notice);
			chromium.waitFor("[data-testid=person-no-sessions]");
		}
		assertThat(person.get("/account/activity").statusCode()).as("the person is signed out").isEqualTo(302);
	}

}
