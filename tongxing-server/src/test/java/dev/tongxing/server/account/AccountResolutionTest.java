package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.testing.GatewayTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/** One account per person: UnionID first, (appid, openid) merged in when a UnionID appears. */
class AccountResolutionTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	static String unique(String prefix) {
		return prefix + UUID.randomUUID().toString().substring(0, 8);
	}

	static ExternalIdentity wechat(String unionid, String appid, String openid, String nickname) {
		List<IdentityKey> keys = unionid == null ? List.of(new IdentityKey("wechat-open", appid + ":" + openid))
				: List.of(new IdentityKey("wechat-union", unionid), new IdentityKey("wechat-open", appid + ":" + openid));
		return new ExternalIdentity("wechat", keys, new Profile(nickname, null, null));
	}

	@Test
	void appsOfOneOpenPlatformAccountLandOnOneUser() {
		String union = unique("u");
		UserAccount web = this.accounts.signIn(wechat(union, "wxWEB", unique("o"), "小明"));
		UserAccount mobile = this.accounts.signIn(wechat(union, "wxAPP", unique("o"), "小明"));
		UserAccount mini = this.accounts.signIn(wechat(union, "wxMINI", unique("o"), null));
		assertThat(mobile.id()).isEqualTo(web.id());
		assertThat(mini.id()).isEqualTo(web.id());
		assertThat(this.accounts.identities(web.id())).extracting(AccountService.LinkedIdentity::provider)
			.containsExactlyInAnyOrder("wechat-union", "wechat-open", "wechat-open", "wechat-open");
	}

	@Test
	void nicknamesAreNeverKeys() {
		UserAccount a = this.accounts.signIn(wechat(unique("u"), "wxWEB", unique("o"), "微信用户"));
		UserAccount b = this.accounts.signIn(wechat(unique("u"), "wxWEB", unique("o"), "微信用户"));
		assertThat(a.id()).isNotEqualTo(b.id());
	}

	@Test
	void anOpenidOnlyUserGainsTheUnionidWhenItAppears() {
		String openid = unique("o");
		UserAccount before = this.accounts.signIn(wechat(null, "wxMINI", openid, null));
		String union = unique("u");
		UserAccount after = this.accounts.signIn(wechat(union, "wxMINI", openid, null));
		assertThat(after.id()).isEqualTo(before.id());
		assertThat(this.accounts.userFor(new IdentityKey("wechat-union", union))).hasValue(before.id());
	}

	@Test
	void anOpenidOnlyUserIsMergedIntoTheUnionidUserTheMomentOneAppears() {
		String union = unique("u");
		String miniOpenid = unique("o");
		UserAccount web = this.accounts.signIn(wechat(union, "wxWEB", unique("o"), "小红"));
		UserAccount miniOnly = this.accounts.signIn(wechat(null, "wxMINI", miniOpenid, null));
		assertThat(miniOnly.id()).isNotEqualTo(web.id());

		// the mini program gets bound to the open platform: its logins now carry the UnionID
		UserAccount resolved = this.accounts.signIn(wechat(union, "wxMINI", miniOpenid, null));
		assertThat(resolved.id()).isEqualTo(web.id());
		assertThat(this.accounts.find(miniOnly.id()).orElseThrow().status()).isEqualTo(UserAccount.MERGED);
		assertThat(this.accounts.userFor(new IdentityKey("wechat-open", "wxMINI:" + miniOpenid))).hasValue(web.id());
		assertThat(this.jdbc.sql("SELECT kind FROM account_link_event WHERE user_id = :u")
			.param("u", miniOnly.id())
			.query(String.class)
			.list()).contains("merged-into");
	}

	@Test
	void linkingAKeyOfAnotherUserIsAConflictNotASilentMerge() {
		UserAccount wechatUser = this.accounts.signIn(wechat(unique("u"), "wxWEB", unique("o"), null));
		String phone = "+86138" + (10000000 + (int) (Math.random() * 89999999));
		UserAccount phoneUser = this.accounts.signIn(new ExternalIdentity("phone", phone, null));
		assertThat(this.accounts.link(wechatUser.id(), new IdentityKey("phone", phone), "phone"))
			.isEqualTo(AccountService.LinkResult.CONFLICT);
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).hasValue(phoneUser.id());

		this.accounts.merge(wechatUser.id(), phoneUser.id(), "phone");
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).hasValue(wechatUser.id());
		assertThat(this.accounts.signIn(new ExternalIdentity("phone", phone, null)).id()).isEqualTo(wechatUser.id());
	}

	@Test
	void theLastLoginMethodCannotBeRemoved() {
		String phone = "+86139" + (10000000 + (int) (Math.random() * 89999999));
		UserAccount user = this.accounts.signIn(new ExternalIdentity("phone", phone, null));
		assertThatThrownBy(() -> this.accounts.unlink(user.id(), List.of(new IdentityKey("phone", phone))))
			.isInstanceOf(AccountService.LastLoginMethodException.class);
		IdentityKey web = new IdentityKey("wechat-open", "wxWEB:" + unique("o"));
		assertThat(this.accounts.link(user.id(), web, "wechat")).isEqualTo(AccountService.LinkResult.LINKED);
		this.accounts.unlink(user.id(), List.of(new IdentityKey("phone", phone)));
		assertThat(this.accounts.identities(user.id())).extracting(AccountService.LinkedIdentity::provider)
			.containsExactly("wechat-open");
		assertThat(this.jdbc.sql("SELECT kind FROM account_link_event WHERE user_id = :u ORDER BY occurred_at")
			.param("u", user.id())
			.query(String.class)
			.list()).contains("create", "link", "unlink");
	}

	@Test
	void claimsFollowScopes() {
		String phone = "+86137" + (10000000 + (int) (Math.random() * 89999999));
		UserAccount user = this.accounts.signIn(new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-union", unique("u"))), new Profile("阿明", "https://img.example/a.png", phone)));
		assertThat(this.accounts.claims(user.id(), Set.of("openid"))).isEmpty();
		assertThat(this.accounts.claims(user.id(), Set.of("openid", "profile")))
			.containsEntry("name", "阿明")
			.containsEntry("picture", "https://img.example/a.png")
			.doesNotContainKey("phone_number");
		assertThat(this.accounts.claims(user.id(), Set.of("phone"))).containsEntry("phone_number", phone)
			.containsEntry("phone_number_verified", true);
	}

}
