package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The clients of the pairwise-subject tests (they replace the test profile's list), and signing a dev test user in
 * at one of them. All first-party, so no consent page stands between the login and the code:
 * <ul>
 * <li>{@code pw-one}, {@code pw-sibling}: pairwise, sector {@code 127.0.0.1} (their redirect URIs' host)</li>
 * <li>{@code pw-other}: pairwise, {@code sector-identifier: other.example.com}</li>
 * <li>{@code pub}: public (first-party, no subject-type)</li>
 * <li>{@code third}: not first-party, no subject-type: new, so pairwise by default (sector {@code third.example.com})</li>
 * </ul>
 */
final class PairwiseClients {

	static final String BASE = "http://127.0.0.1:3000/";

	private PairwiseClients() {
	}

	static Map<String, Object> properties() {
		Map<String, Object> p = new LinkedHashMap<>();
		client(p, 0, "pw-one", "pairwise", null, true);
		client(p, 1, "pw-sibling", "pairwise", null, true);
		client(p, 2, "pw-other", "pairwise", "other.example.com", true);
		client(p, 3, "pub", null, null, true);
		client(p, 4, "third", null, null, false);
		p.put("tongxing.clients[4].redirect-uris[0]", "https://third.example.com/cb");
		p.put("tongxing.clients[4].company", "Third Party Ltd.");
		p.put("tongxing.clients[4].contact", "privacy@third.example.com");
		p.put("tongxing.clients[4].purposes[0]", "Signing you in");
		return p;
	}

	static void client(Map<String, Object> p, int i, String id, String subjectType, String sector, boolean firstParty) {
		String c = "tongxing.clients[" + i + "].";
		p.put(c + "client-id", id);
		p.put(c + "client-secret", id + "-secret");
		p.put(c + "redirect-uris[0]", BASE + id);
		p.put(c + "scopes", "openid,profile");
		p.put(c + "grant-types", "authorization_code,refresh_token");
		p.put(c + "first-party", firstParty);
		if (subjectType != null) {
			p.put(c + "subject-type", subjectType);
		}
		if (sector != null) {
			p.put(c + "sector-identifier", sector);
		}
	}

	/** Signs the dev test user in at the client (a browser of its own) and returns the token response. */
	static Reply signIn(String issuer, String clientId, String user) {
		OAuthClient oauth = new OAuthClient(issuer);
		Pkce pkce = Pkce.create();
		String callback = BASE + clientId;
		URI redirect = new TestBrowser(issuer).authorize(
				oauth.authorizeUri(OAuthClient.authorizeParams(clientId, callback, "openid profile", pkce)), user,
				callback);
		Reply tokens = oauth.post("/oauth2/token", clientId, clientId + "-secret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						callback, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return tokens;
	}

	static String idTokenSub(Reply tokens) throws Exception {
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	static String accessTokenSub(Reply tokens) throws Exception {
		return SignedJWT.parse(tokens.string("access_token")).getJWTClaimsSet().getSubject();
	}

}
