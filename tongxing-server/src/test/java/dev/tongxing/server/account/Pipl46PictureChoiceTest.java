package dev.tongxing.server.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.TestBrowser;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * PIPL Art. 46: a person picks which of their linked ways in's avatars the gateway shows and releases as
 * {@code picture}, or none; never a URL of their own. Sealed, audited, kept over later sign-ins.
 */
class Pipl46PictureChoiceTest extends GatewayTest {

	@Autowired
	AccountService accounts;

	@Autowired
	JdbcClient jdbc;

	private static ExternalIdentity identity(String picture, IdentityKey... keys) {
		return new ExternalIdentity("test", List.of(keys), new ExternalIdentity.Profile(null, picture, null));
	}

	@Test
	void theChosenAvatarIsReleasedAndKeptOverLaterSignIns() {
		String tag = UUID.randomUUID().toString();
		IdentityKey wechat = new IdentityKey("wechat-union", "union-" + tag);
		IdentityKey dev = new IdentityKey("dev", "pic-" + tag);
		String wechatPicture = "https://thirdwx.example/" + tag + "/wechat.png";
		String devPicture = "https://avatars.example/" + tag + "/dev.png";
		String user = this.accounts.signIn(identity(wechatPicture, wechat, dev)).id();
		this.accounts.signIn(identity(devPicture, dev));
		// never chosen: the latest sign-in's, as before
		assertThat(this.accounts.claims(user, Set.of("openid", "profile"))).containsEntry("picture", devPicture);
		AccountService.PictureChoices choices = this.accounts.pictureChoices(user);
		assertThat(choices.chosen()).isEqualTo(AccountService.PictureChoices.LATEST);
		assertThat(choices.options()).extracting(AccountService.PictureOption::pictureUrl)
			.containsExactlyInAnyOrder(wechatPicture, devPicture);
		String wechatOption = choices.options().stream().filter(o -> o.pictureUrl().equals(wechatPicture)).findFirst()
			.orElseThrow().identityId();

		this.accounts.choosePicture(user, wechatOption);
		assertThat(this.accounts.claims(user, Set.of("openid", "profile"))).containsEntry("picture", wechatPicture);
		// a later sign-in with the other way in does not take it back
		this.accounts.signIn(identity("https://avatars.example/" + tag + "/dev-2.png", dev));
		assertThat(this.accounts.find(user).orElseThrow().pictureUrl()).isEqualTo(wechatPicture);
		// the chosen way in bringing a new avatar: the choice follows it
		String newWechat = "https://thirdwx.example/" + tag + "/wechat-2.png";
		this.accounts.signIn(identity(newWechat, wechat));
		assertThat(this.accounts.find(user).orElseThrow().pictureUrl()).isEqualTo(newWechat);

		this.accounts.choosePicture(user, AccountService.PictureChoices.NONE);
		assertThat(this.accounts.claims(user, Set.of("openid", "profile"))).doesNotContainKey("picture");
		this.accounts.signIn(identity("https://avatars.example/" + tag + "/dev-3.png", dev));
		assertThat(this.accounts.find(user).orElseThrow().pictureUrl()).isNull();

		// a URL, someone else's link, nothing: refused, the choice unchanged
		String other = this.accounts.signIn(identity("https://x.example/o.png", new IdentityKey("dev", "o-" + tag)))
			.id();
		String othersOption = this.accounts.pictureChoices(other).options().get(0).identityId();
		for (String bad : new String[] { "https://evil.example/me.png", othersOption, "", null }) {
			assertThatThrownBy(() -> this.accounts.choosePicture(user, bad)).isInstanceOf(IllegalArgumentException.class);
		}
		assertThat(this.accounts.pictureChoices(user).chosen()).isEqualTo(AccountService.PictureChoices.NONE);

		// audited with the provider, never the URL; stored sealed
		List<String> details = this.jdbc
			.sql("SELECT details FROM audit_entry WHERE type = 'account.picture-chosen' AND subject = :s ORDER BY seq")
			.param("s", user).query(String.class).list();
		assertThat(details).hasSize(2);
		assertThat(details.get(0)).contains("wechat-union").doesNotContain("thirdwx");
		assertThat(details.get(1)).contains("none");
		assertThat(this.jdbc.sql("SELECT picture_sealed FROM account_identity WHERE user_id = :u").param("u", user)
			.query(String.class).list()).noneMatch(v -> v.contains("example"));
	}

	@Test
	void removingTheChosenWayInTakesItsAvatarWithIt() {
		String tag = UUID.randomUUID().toString();
		IdentityKey wechat = new IdentityKey("wechat-union", "union-" + tag);
		IdentityKey dev = new IdentityKey("dev", "rm-" + tag);
		String user = this.accounts.signIn(identity("https://thirdwx.example/" + tag + ".png", wechat, dev)).id();
		this.accounts.signIn(identity("https://avatars.example/" + tag + ".png", dev));
		String wechatOption = this.accounts.pictureChoices(user).options().stream()
			.filter(o -> o.provider().equals("wechat-union")).findFirst().orElseThrow().identityId();
		this.accounts.choosePicture(user, wechatOption);
		this.accounts.unlink(user, List.of(wechat));
		assertThat(this.accounts.find(user).orElseThrow().pictureUrl()).isNull();
		assertThat(this.accounts.pictureChoices(user).chosen()).isEqualTo(AccountService.PictureChoices.NONE);
		assertThat(this.accounts.pictureChoices(user).options()).extracting(AccountService.PictureOption::provider)
			.containsExactly("dev");
	}

	@Test
	void theAccountPageOffersTheAvatarsAndTakesTheChoice() {
		TestBrowser browser = browser();
		String name = "pic-" + UUID.randomUUID().toString().substring(0, 8);
		browser.follow(browser.submit(browser.get("/login/dev"), "/login/dev", Map.of("username", name)), null);
		HttpResponse<String> page = browser.get("/account");
		// no way in brought an avatar: nothing to choose
		assertThat(page.body()).doesNotContain("data-testid=\"account-picture-form\"");
		String user = this.accounts.userFor(new IdentityKey("dev", name)).orElseThrow();
		String devPicture = "https://avatars.example/" + name + ".png";
		this.accounts.signIn(identity(devPicture, new IdentityKey("dev", name)));
		page = browser.get("/account");
		String option = this.accounts.pictureChoices(user).options().get(0).identityId();
		assertThat(page.body()).contains("data-testid=\"account-picture-form\"")
			.contains("data-picture-option=\"" + option + "\"")
			.contains("data-picture-option=\"none\"")
			.contains("data-action=\"choose-picture\"")
			.contains(devPicture);
		HttpResponse<String> refused = browser.submit(page, "/account/picture",
				Map.of("picture", "https://evil.example/me.png"));
		assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("notice=picture-invalid");
		HttpResponse<String> saved = browser.submit(page, "/account/picture", Map.of("picture", "none"));
		assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=picture-chosen");
		assertThat(this.accounts.find(user).orElseThrow().pictureUrl()).isNull();
		saved = browser.submit(browser.get("/account"), "/account/picture", Map.of("picture", option));
		assertThat(saved.headers().firstValue("Location").orElseThrow()).endsWith("/account?notice=picture-chosen");
		assertThat(this.accounts.claims(user, Set.of("openid", "profile"))).containsEntry("picture", devPicture);
		// "download my data" names the avatar each way in brought
		assertThat(browser.get("/account/export").body())
			.containsPattern("\"picture\"\\s*:\\s*\"" + java.util.regex.Pattern.quote(devPicture) + "\"");
	}

}
