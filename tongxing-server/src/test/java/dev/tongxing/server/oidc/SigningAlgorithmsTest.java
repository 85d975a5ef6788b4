package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.Ed25519Verifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import java.net.URI;
import java.net.URL;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Access tokens are RS256 unless a client registered {@code access-token-signing-alg} (ES256 or EdDSA); ID tokens
 * likewise with {@code id-token-signed-response-alg}. Every algorithm's key is published in the JWKS, and tokens
 * of each verify against it, are introspected and revoked like any other.
 */
class SigningAlgorithmsTest extends GatewayTest {

	static final URI CALLBACK = URI.create("http://127.0.0.1:3000/callback");

	@Test
	void eachClientsAccessTokensAreSignedWithItsAlgorithmAndVerifyAgainstTheJwks() throws Exception {
		JWKSet jwks = JWKSet.load(new URL(this.issuer + "/oauth2/jwks"));
		assertThat(jwks.getKeys()).extracting(k -> k.getAlgorithm().getName()).contains("RS256", "ES256", "EdDSA");

		SignedJWT rs = token("backend", "backend-secret");
		assertThat(rs.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(rs.verify(new RSASSAVerifier((RSAKey) jwks.getKeyByKeyId(rs.getHeader().getKeyID())))).isTrue();

		SignedJWT es = token("backend-es256", "backend-es256-secret");
		assertThat(es.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		assertThat(es.getHeader().getType().toString()).isEqualTo("at+jwt");
		assertThat(es.verify(new ECDSAVerifier((ECKey) jwks.getKeyByKeyId(es.getHeader().getKeyID())))).isTrue();

		SignedJWT ed = token("web-eddsa", "web-eddsa-secret");
		assertThat(ed.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		assertThat(ed.verify(new Ed25519Verifier((OctetKeyPair) jwks.getKeyByKeyId(ed.getHeader().getKeyID()))))
			.isTrue();

		OAuthClient oauth = new OAuthClient(this.issuer);
		assertThat(oauth.post("/oauth2/introspect", "backend-es256", "backend-es256-secret",
				Map.of("token", es.serialize())).json()).containsEntry("active", true)
			.containsEntry("client_id", "backend-es256");
		assertThat(oauth.post("/oauth2/introspect", "web-eddsa", "web-eddsa-secret", Map.of("token", ed.serialize()))
			.json()).containsEntry("active", true);
		assertThat(oauth.post("/oauth2/revoke", "web-eddsa", "web-eddsa-secret", Map.of("token", ed.serialize()))
			.status()).isEqualTo(200);
		assertThat(oauth.post("/oauth2/introspect", "web-eddsa", "web-eddsa-secret", Map.of("token", ed.serialize()))
			.json()).containsEntry("active", false);
	}

	@Test
	void idTokensFollowTheClientsRegisteredAlgorithmAndUserinfoAcceptsItsAccessToken() throws Exception {
		CodeVerifier verifier = new CodeVerifier();
		Nonce nonce = new Nonce();
		ClientID client = new ClientID("web-eddsa");
		AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
				new Scope("openid", "profile"), client, CALLBACK)
			.endpointURI(URI.create(this.issuer + "/oauth2/authorize"))
			.state(new State())
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build();
		URI redirect = browser().authorize(request.toURI(), "carol", CALLBACK.toString());
		AuthorizationCode code = AuthorizationResponse.parse(redirect).toSuccessResponse().getAuthorizationCode();
		OIDCTokenResponse tokens = (OIDCTokenResponse) OIDCTokenResponseParser
			.parse(new TokenRequest(URI.create(this.issuer + "/oauth2/token"),
					new ClientSecretBasic(client, new Secret("web-eddsa-secret")),
					new AuthorizationCodeGrant(code, CALLBACK, verifier))
				.toHTTPRequest()
				.send())
			.toSuccessResponse();

		SignedJWT idToken = (SignedJWT) tokens.getOIDCTokens().getIDToken();
		assertThat(idToken.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		// (Nimbus's IDTokenValidator cannot select Ed25519 keys from a JWKS: verified by hand against the JWKS)
		JWKSet jwks = JWKSet.load(new URL(this.issuer + "/oauth2/jwks"));
		assertThat(idToken.verify(new Ed25519Verifier((OctetKeyPair) jwks.getKeyByKeyId(idToken.getHeader().getKeyID()))))
			.isTrue();
		assertThat(idToken.getJWTClaimsSet().getIssuer()).isEqualTo(this.issuer);
		assertThat(idToken.getJWTClaimsSet().getAudience()).containsExactly("web-eddsa");
		assertThat(idToken.getJWTClaimsSet().getStringClaim("nonce")).isEqualTo(nonce.getValue());
		assertThat(idToken.getJWTClaimsSet().getStringClaim("name")).isEqualTo("carol");

		String accessToken = tokens.getOIDCTokens().getAccessToken().getValue();
		assertThat(SignedJWT.parse(accessToken).getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.EdDSA);
		OAuthClient.Reply userinfo = new OAuthClient(this.issuer).get("/userinfo", accessToken);
		assertThat(userinfo.status()).isEqualTo(200);
		assertThat(userinfo.json()).containsEntry("name", "carol");
	}

	private SignedJWT token(String client, String secret) throws Exception {
		OAuthClient.Reply reply = new OAuthClient(this.issuer).post("/oauth2/token", client, secret,
				Map.of("grant_type", "client_credentials"));
		assertThat(reply.status()).as(reply.body()).isEqualTo(200);
		return SignedJWT.parse(reply.string("access_token"));
	}

}
