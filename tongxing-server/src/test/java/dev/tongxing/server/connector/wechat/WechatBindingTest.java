package dev.tongxing.server.connector.wechat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Adding WeChat to an account from the account page, removing methods (never the last), and the explicit
 * merge when the WeChat account already belongs to another account.
 */
class WechatBindingTest extends GatewayTest {

	@Autowired
	WechatEmulator emulator;

	@Autowired
	AccountService accounts;

	/** A browser signed in with the dev test-user login as a fresh name. */
	TestBrowser signedInAsNewUser() {
		TestBrowser browser = browser();
		String name = "u" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<String> page = browser.get("/login/dev");
		browser.follow(browser.submit(page, "/login/dev", Map.of("username", name)), null);
		return browser;
	}

	String accountId(TestBrowser browser) {
		String body = browser.get("/account").body();
		var m = java.util.regex.Pattern.compile("data-testid=\"account-id\">([^<]+)<").matcher(body);
		assertThat(m.find()).isTrue();
		return m.group(1);
	}

	/** Runs "bind WeChat" for {@code wechatUser}; returns the page the browser lands on. */
	HttpResponse<String> bindWechat(TestBrowser browser, String wechatUser) {
		HttpResponse<String> toWechat = browser.get("/account/wechat");
		URI wechat = URI.create(toWechat.headers().firstValue("Location").orElseThrow());
		String code = this.emulator.control().authorizationCode(DefaultFixture.WEBSITE_APPID, wechatUser, "snsapi_login");
		return browser.follow(browser.get("/login/wechat/callback?code=" + code + "&state="
				+ TestBrowser.query(wechat).get("state")), null);
	}

	String openKey(String wechatUser) {
		return DefaultFixture.WEBSITE_APPID + ":" + this.emulator.control().openid(DefaultFixture.WEBSITE_APPID, wechatUser);
	}

	@Test
	void bindWechatThenRemoveTheOtherMethodButNeverTheLast() {
		TestBrowser browser = signedInAsNewUser();
		String user = accountId(browser);
		String page = browser.get("/account").body();
		assertThat(page).contains("data-action=\"bind-wechat-open\"").doesNotContain("data-action=\"unlink\"");

		// a WeChat user nobody has yet: "sam" is only a snapshot user on the official-account page
		HttpResponse<String> back = bindWechat(browser, DefaultFixture.SAM);
		assertThat(back.uri().getPath()).isEqualTo("/account");
		assertThat(back.body()).contains("data-testid=\"account-notice\"");
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", openKey(DefaultFixture.SAM)))).hasValue(user);

		// two methods now: the dev one can go, and then WeChat is the last and stays
		String devId = this.accounts.identities(user).stream().filter(i -> i.provider().equals("dev")).findFirst()
			.orElseThrow().id();
		HttpResponse<String> accountPage = browser.get("/account");
		HttpResponse<String> removed = browser.follow(browser.submit(accountPage, "/account/unlink", Map.of("identity", devId)), null);
		assertThat(removed.uri().getQuery()).isEqualTo("notice=unlinked");
		assertThat(removed.body()).doesNotContain("data-action=\"unlink\"");
		// even posted by hand, removing the last method is refused (and nothing is removed)
		String wechatId = this.accounts.identities(user).get(0).id();
		HttpResponse<String> refused = browser.follow(browser.submit(removed, "/account/unlink", Map.of("identity", wechatId)), null);
		assertThat(refused.uri().getQuery()).isEqualTo("notice=last-method");
		// WeChat (its UnionID and the app's openid) is one method: both keys are still there
		assertThat(this.accounts.identities(user)).extracting(AccountService.LinkedIdentity::provider)
			.containsExactlyInAnyOrder("wechat-union", "wechat-open");
	}

	@Test
	void aWechatOfAnotherAccountIsMergedOnlyAfterConfirmation() {
		// chen signs in with WeChat first: that makes an account
		UserAccount wechatAccount = this.accounts
			.signIn(new dev.tongxing.server.account.ExternalIdentity("wechat",
					java.util.List.of(new IdentityKey("wechat-union",
							this.emulator.control().unionid(DefaultFixture.WEBSITE_APPID, DefaultFixture.CHEN)),
							new IdentityKey("wechat-open", openKey(DefaultFixture.CHEN))),
					null));
		TestBrowser browser = signedInAsNewUser();
		String user = accountId(browser);

		// declining keeps both accounts as they were
		HttpResponse<String> confirm = bindWechat(browser, DefaultFixture.CHEN);
		assertThat(confirm.uri().getPath()).isEqualTo("/account/merge");
		assertThat(confirm.body()).contains("data-testid=\"merge\"").contains("data-action=\"confirm\"");
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", openKey(DefaultFixture.CHEN))))
			.hasValue(wechatAccount.id());
		HttpResponse<String> declined = browser.follow(browser.submit(confirm, "/account/merge", Map.of("decision", "decline")), null);
		assertThat(declined.uri().getQuery()).isEqualTo("notice=merge-declined");
		assertThat(this.accounts.find(wechatAccount.id()).orElseThrow().active()).isTrue();

		// confirming merges: WeChat now signs in to this account, the other one is closed
		HttpResponse<String> again = bindWechat(browser, DefaultFixture.CHEN);
		HttpResponse<String> merged = browser.follow(browser.submit(again, "/account/merge", Map.of("decision", "confirm")), null);
		assertThat(merged.uri().getQuery()).isEqualTo("notice=merged");
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", openKey(DefaultFixture.CHEN)))).hasValue(user);
		assertThat(this.accounts.find(wechatAccount.id()).orElseThrow().status()).isEqualTo(UserAccount.MERGED);
	}

}
