package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery's {@code claims_supported} (RECOMMENDED by OpenID Connect Discovery; its absence is a warning of the
 * OpenID Foundation's {@code oidcc-discovery-endpoint-verification}) names every claim the gateway hands out.
 */
class ClaimsSupportedTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Test
	@SuppressWarnings("unchecked")
	void discoveryNamesEveryClaimOfAnIdTokenAndOfUserinfo() throws Exception {
		OAuthClient oauth = new OAuthClient(this.issuer);
		List<String> supported = (List<String>) oauth.get("/.well-known/openid-configuration", null)
			.json()
			.get("claims_supported");
		assertThat(supported).contains("sub", "iss", "auth_time", "name", "phone_number");

		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile phone", pkce);
		params.put("nonce", "n-claims");
		String code = TestBrowser.query(browser().authorize(oauth.authorizeUri(params), "claims", CALLBACK)).get("code");
		Reply tokens = oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "authorization_code",
				"code", code, "redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaims().keySet())
			.isSubsetOf(supported);
		Reply userinfo = oauth.get("/userinfo", tokens.string("access_token"));
		assertThat(userinfo.status()).isEqualTo(200);
		assertThat(userinfo.json().keySet()).contains("sub", "name").isSubsetOf(supported);
	}

}
