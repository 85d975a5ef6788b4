package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.ExternalIdentity.Profile;
import dev.tongxing.server.testing.GatewayTest;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.event.ApplicationEvents;
import org.springframework.test.context.event.RecordApplicationEvents;

/** Account deletion: every way to sign in is released, the profile and the hints are gone, the id remains. */
@RecordApplicationEvents
class AccountErasureTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	@Autowired
	ApplicationEvents events;

	@Test
	void eraseReleasesEveryIdentitySoTheSamePhoneMakesANewAccount() {
		String phone = "+86139" + String.format("%08d", Math.floorMod(UUID.randomUUID().hashCode(), 100_000_000));
		String union = "oU" + UUID.randomUUID();
		ExternalIdentity wechat = new ExternalIdentity("wechat",
				List.of(new IdentityKey("wechat-union", union), new IdentityKey("wechat-open", "wxWEB:o" + union)),
				new Profile("要删除的人", "https://thirdwx.qlogo.cn/erase/132", phone));
		UserAccount user = this.accounts.signIn(wechat);
		assertThat(this.accounts.identities(user.id())).hasSize(3);
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM account_link_event WHERE user_id = :u AND key_hint IS NOT NULL")
			.param("u", user.id())
			.query(Long.class)
			.single()).isEqualTo(3);

		this.accounts.erase(user.id());

		UserAccount erased = this.accounts.find(user.id()).orElseThrow();
		assertThat(erased.status()).isEqualTo(UserAccount.ERASED);
		assertThat(erased.displayName()).isNull();
		assertThat(erased.pictureUrl()).isNull();
		assertThat(this.accounts.identities(user.id())).isEmpty();
		assertThat(this.accounts.claims(user.id(), Set.of("profile", "phone"))).isEmpty();
		assertThat(this.accounts.userFor(new IdentityKey("phone", phone))).isEmpty();
		assertThat(this.accounts.userFor(new IdentityKey("wechat-union", union))).isEmpty();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM account_link_event WHERE user_id = :u AND key_hint IS NOT NULL")
			.param("u", user.id())
			.query(Long.class)
			.single()).as("no keyed hash of the erased person's phone or openids stays").isZero();
		assertThat(this.events.stream(AccountChanged.class).filter(e -> e.userId().equals(user.id())))
			.extracting(e -> e.kind().code())
			.contains("create", "link", "erase");

		UserAccount again = this.accounts.signIn(new ExternalIdentity("phone", phone, null));
		assertThat(again.id()).isNotEqualTo(user.id());
		assertThat(again.active()).isTrue();
		assertThat(this.accounts.claims(again.id(), Set.of("phone"))).containsEntry("phone_number", phone);
		UserAccount wechatAgain = this.accounts.signIn(wechat);
		assertThat(wechatAgain.id()).as("the same WeChat is a new person too").isNotEqualTo(user.id());
		assertThat(wechatAgain.active()).isTrue();
	}

}
