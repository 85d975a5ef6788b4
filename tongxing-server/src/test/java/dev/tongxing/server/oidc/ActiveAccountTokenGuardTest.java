package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** A refresh token granted to an account that was since merged into another gets no more tokens. */
class ActiveAccountTokenGuardTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	AccountService accounts;

	@Autowired
	dev.tongxing.server.deletion.AccountDeletion deletion;

	/** The token response of a sign-in to live-web as the dev user. */
	Reply tokens(String devName) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		URI back = browser().authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid offline_access", pkce)),
				devName, CALLBACK);
		return oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code", "code",
				TestBrowser.query(back).get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
	}

	@Test
	void deletingAnAccountAlsoEndsTheTokensOfAccountsMergedIntoIt() {
		String absorbed = "a" + UUID.randomUUID().toString().substring(0, 8);
		String survivor = "v" + UUID.randomUUID().toString().substring(0, 8);
		String oldToken = tokens(absorbed).string("access_token");
		tokens(survivor);
		String survivorId = this.accounts.userFor(new IdentityKey("dev", survivor)).orElseThrow();
		this.accounts.merge(survivorId, this.accounts.userFor(new IdentityKey("dev", absorbed)).orElseThrow(), "test");
		OAuthClient oauth = new OAuthClient(this.issuer);
		assertThat(oauth.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", oldToken)).json())
			.containsEntry("active", true);

		this.deletion.request(survivorId);

		assertThat(oauth.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", oldToken)).json())
			.containsEntry("active", false);
	}

	String refreshToken(String devName) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		URI back = browser().authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid offline_access", pkce)),
				devName, CALLBACK);
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", TestBrowser.query(back).get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).isEqualTo(200);
		return tokens.string("refresh_token");
	}

	@Test
	void aMergedAccountsRefreshTokenIsRefused() {
		String absorbed = "m" + UUID.randomUUID().toString().substring(0, 8);
		String survivor = "s" + UUID.randomUUID().toString().substring(0, 8);
		String refresh = refreshToken(absorbed);
		refreshToken(survivor);
		OAuthClient oauth = new OAuthClient(this.issuer);
		Reply before = oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", refresh));
		assertThat(before.status()).isEqualTo(200);

		this.accounts.merge(this.accounts.userFor(new IdentityKey("dev", survivor)).orElseThrow(),
				this.accounts.userFor(new IdentityKey("dev", absorbed)).orElseThrow(), "test");

		Reply after = oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "refresh_token", "refresh_token", before.string("refresh_token")));
		assertThat(after.status()).isEqualTo(400);
		assertThat(after.error()).isEqualTo("invalid_grant");
	}

}
