package dev.tongxing.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Whatever ends a person's access — a withdrawal, a deletion — also ends it under the ids of accounts merged
 * into theirs, which tokens from before the merge still carry.
 */
class AccessRevocationTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	AccessRevocation access;

	@Autowired
	AccountService accounts;

	@Autowired
	TransactionTemplate tx;

	/** An access token of a sign-in to live-web as this dev user. */
	String accessToken(String devName) {
		OAuthClient oauth = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		URI back = browser().authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid offline_access", pkce)),
				devName, CALLBACK);
		return oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code", "code",
				TestBrowser.query(back).get("code"), "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()))
			.string("access_token");
	}

	boolean active(String token) {
		return Boolean.TRUE.equals(new OAuthClient(this.issuer)
			.post("/oauth2/introspect", "live-web", "s3cret", Map.of("token", token))
			.json()
			.get("active"));
	}

	/** Two dev users, each with a token, the first merged into the second; returns {survivorId, old, own}. */
	String[] mergedPair() {
		String absorbed = "a" + UUID.randomUUID().toString().substring(0, 8);
		String survivor = "v" + UUID.randomUUID().toString().substring(0, 8);
		String oldToken = accessToken(absorbed);
		String ownToken = accessToken(survivor);
		String survivorId = this.accounts.userFor(new IdentityKey("dev", survivor)).orElseThrow();
		this.accounts.merge(survivorId, this.accounts.userFor(new IdentityKey("dev", absorbed)).orElseThrow(), "test");
		assertThat(active(oldToken)).isTrue();
		return new String[] { survivorId, oldToken, ownToken };
	}

	@Test
	void endingAllAccessEndsTheTokensOfMergedAccountsToo() {
		String[] pair = mergedPair();
		AccessRevocation.Ended ended = this.tx
			.execute(status -> this.access.endAll(pair[0], AccessRevocation.Notice.SESSION_REVOKED, null));
		assertThat(ended.clients()).contains("live-web");
		assertThat(ended.sessions()).isGreaterThanOrEqualTo(2); // a browser session under each id
		assertThat(active(pair[1])).isFalse();
		assertThat(active(pair[2])).isFalse();
	}

	@Test
	void endingOneAppsAccessEndsItUnderMergedIdsToo() {
		String[] pair = mergedPair();
		this.tx.executeWithoutResult(status -> this.access.endForClient(pair[0], "live-web"));
		assertThat(active(pair[1])).isFalse();
		assertThat(active(pair[2])).isFalse();
	}

}
