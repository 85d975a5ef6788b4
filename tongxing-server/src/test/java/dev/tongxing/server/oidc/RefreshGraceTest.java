package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;

/** With a grace period set, a just-rotated refresh token may be redeemed again briefly, and only briefly. */
@TestPropertySource(properties = "tongxing.tokens.refresh-token-reuse-grace=5s")
class RefreshGraceTest extends GatewayTest {

	static final String APP = "com.example.live:/oauth2redirect";

	@Autowired
	MutableClock clock;

	@AfterEach
	void reset() {
		this.clock.reset();
	}

	String refreshToken(OAuthClient oauth) {
		Pkce pkce = Pkce.create();
		URI redirect = browser().authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("mobile", APP, "openid offline_access", pkce)), "frank",
				APP);
		Reply tokens = oauth.post("/oauth2/token", null, null, Map.of("grant_type", "authorization_code", "client_id",
				"mobile", "code", TestBrowser.query(redirect).get("code"), "redirect_uri", APP, "code_verifier",
				pkce.verifier()));
		return tokens.string("refresh_token");
	}

	Reply refresh(OAuthClient oauth, String token) {
		return oauth.post("/oauth2/token", null, null,
				Map.of("grant_type", "refresh_token", "client_id", "mobile", "refresh_token", token));
	}

	@Test
	void retryWithinTheGracePeriodSucceeds() {
		OAuthClient oauth = new OAuthClient(this.issuer);
		String rt1 = refreshToken(oauth);
		Reply first = refresh(oauth, rt1);
		assertThat(first.status()).isEqualTo(200);
		// the response was "lost": the app retries with the same token a moment later
		this.clock.advance(Duration.ofSeconds(2));
		Reply retry = refresh(oauth, rt1);
		assertThat(retry.status()).isEqualTo(200);
		assertThat(refresh(oauth, retry.string("refresh_token")).status()).isEqualTo(200);
	}

	@Test
	void reuseAfterTheGracePeriodRevokesTheFamily() {
		OAuthClient oauth = new OAuthClient(this.issuer);
		String rt1 = refreshToken(oauth);
		Reply first = refresh(oauth, rt1);
		this.clock.advance(Duration.ofSeconds(6));
		assertThat(refresh(oauth, rt1).error()).isEqualTo("invalid_grant");
		assertThat(refresh(oauth, first.string("refresh_token")).error()).isEqualTo("invalid_grant");
	}

}
