package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationResponse;
import com.nimbusds.oauth2.sdk.AuthorizationSuccessResponse;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenIntrospectionRequest;
import com.nimbusds.oauth2.sdk.TokenIntrospectionResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.Issuer;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.AccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import dev.tongxing.server.testing.GatewayTest;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole OpenID Connect flow driven by a real client library (Nimbus OAuth 2.0 SDK): discovery,
 * authorization with PKCE, code exchange, ID-token signature check against the JWKS, userinfo, refresh
 * with rotation, revocation and introspection.
 */
class OidcFlowTest extends GatewayTest {

	static final ClientID LIVE_WEB = new ClientID("live-web");

	static final URI CALLBACK = URI.create("http://127.0.0.1:3000/callback");

	OIDCProviderMetadata provider;

	ClientAuthentication liveWebAuth = new ClientSecretBasic(LIVE_WEB, new Secret("s3cret"));

	@BeforeEach
	void discover() throws Exception {
		this.provider = OIDCProviderMetadata.resolve(new Issuer(this.issuer));
	}

	@Test
	void discoveryAdvertisesWhatTheProviderDoes() {
		assertThat(this.provider.getIssuer().getValue()).isEqualTo(this.issuer);
		assertThat(this.provider.getCodeChallengeMethods()).containsExactly(CodeChallengeMethod.S256);
		assertThat(this.provider.getResponseTypes()).containsExactly(ResponseType.CODE);
		assertThat(this.provider.getIDTokenJWSAlgs()).containsExactly(JWSAlgorithm.RS256);
		assertThat(this.provider.getGrantTypes()).extracting(Object::toString)
			.contains("authorization_code", "refresh_token", "client_credentials")
			.doesNotContain("implicit", "password");
		assertThat(this.provider.getRevocationEndpointURI()).isNotNull();
		assertThat(this.provider.getIntrospectionEndpointURI()).isNotNull();
		assertThat(this.provider.getUserInfoEndpointURI()).isNotNull();
		assertThat(this.provider.getEndSessionEndpointURI()).isNotNull();
		assertThat(this.provider.getPushedAuthorizationRequestEndpointURI()).isNotNull();
		assertThat(this.provider.supportsAuthorizationResponseIssuerParam()).isTrue();
		assertThat(this.provider.getPolicyURI()).hasToString(this.issuer + "/privacy/policy");
		assertThat(this.provider.getTokenEndpointAuthMethods()).extracting(Object::toString)
			.containsExactlyInAnyOrder("client_secret_basic", "client_secret_post", "none");
	}

	@Test
	void fullFlowWithNimbusClient() throws Exception {
		CodeVerifier verifier = new CodeVerifier();
		State state = new State();
		Nonce nonce = new Nonce();
		AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE,
				new Scope("openid", "profile", "offline_access"), LIVE_WEB, CALLBACK)
			.endpointURI(this.provider.getAuthorizationEndpointURI())
			.state(state)
			.nonce(nonce)
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build();

		URI redirect = browser().authorize(request.toURI(), "alice", CALLBACK.toString());
		AuthorizationSuccessResponse authorization = AuthorizationResponse.parse(redirect).toSuccessResponse();
		assertThat(authorization.getState()).isEqualTo(state);
		assertThat(authorization.getIssuer()).isEqualTo(this.provider.getIssuer()); // RFC 9207

		OIDCTokenResponse tokens = exchange(authorization.getAuthorizationCode(), verifier);
		AccessToken accessToken = tokens.getOIDCTokens().getAccessToken();
		assertThat(accessToken.getLifetime()).isEqualTo(7200);
		assertThat(tokens.getOIDCTokens().getRefreshToken()).isNotNull();

		// The ID token's RS256 signature checks out against the published JWKS.
		IDTokenValidator validator = new IDTokenValidator(this.provider.getIssuer(), LIVE_WEB, JWSAlgorithm.RS256,
				this.provider.getJWKSetURI().toURL());
		IDTokenClaimsSet idClaims = validator.validate(tokens.getOIDCTokens().getIDToken(), nonce);
		assertThat(idClaims.getSubject().getValue()).isNotBlank().isNotEqualTo("alice");
		assertThat(idClaims.getStringClaim("name")).isEqualTo("alice");

		// The access token is an RS256 JWT (RFC 9068) with a two-hour life.
		SignedJWT jwt = (SignedJWT) JWTParser.parse(accessToken.getValue());
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.getHeader().getType().toString()).isEqualTo("at+jwt");
		assertThat(jwt.getJWTClaimsSet().getStringClaim("client_id")).isEqualTo("live-web");
		Duration life = Duration.between(jwt.getJWTClaimsSet().getIssueTime().toInstant(),
				jwt.getJWTClaimsSet().getExpirationTime().toInstant());
		assertThat(life).isEqualTo(Duration.ofHours(2));

		UserInfoResponse userInfo = UserInfoResponse
			.parse(new UserInfoRequest(this.provider.getUserInfoEndpointURI(), new com.nimbusds.oauth2.sdk.token.BearerAccessToken(accessToken.getValue()))
				.toHTTPRequest()
				.send());
		assertThat(userInfo.indicatesSuccess())
			.as(() -> "userinfo: " + userInfo.toErrorResponse().getErrorObject().toJSONObject())
			.isTrue();
		assertThat(userInfo.toSuccessResponse().getUserInfo().getSubject()).isEqualTo(idClaims.getSubject());

		// Refresh rotates: a new refresh token every time.
		RefreshToken first = tokens.getOIDCTokens().getRefreshToken();
		OIDCTokenResponse refreshed = refresh(first).toSuccessResponse() instanceof OIDCTokenResponse r ? r : null;
		assertThat(refreshed).isNotNull();
		RefreshToken second = refreshed.getOIDCTokens().getRefreshToken();
		assertThat(second).isNotEqualTo(first);
		assertThat(introspect(refreshed.getOIDCTokens().getAccessToken().getValue()).toSuccessResponse().isActive()).isTrue();

		// Revoking the refresh token ends the authorization: its access token is no longer active.
		HTTPResponse revoked = new TokenRevocationRequest(this.provider.getRevocationEndpointURI(), this.liveWebAuth,
				second)
			.toHTTPRequest()
			.send();
		assertThat(revoked.getStatusCode()).isEqualTo(200);
		assertThat(introspect(refreshed.getOIDCTokens().getAccessToken().getValue()).toSuccessResponse().isActive()).isFalse();
		assertThat(refresh(second).indicatesSuccess()).isFalse();
	}

	@Test
	void introspectionDescribesAnActiveToken() throws Exception {
		CodeVerifier verifier = new CodeVerifier();
		AuthenticationRequest request = new AuthenticationRequest.Builder(ResponseType.CODE, new Scope("openid"),
				LIVE_WEB, CALLBACK)
			.endpointURI(this.provider.getAuthorizationEndpointURI())
			.state(new State())
			.nonce(new Nonce())
			.codeChallenge(verifier, CodeChallengeMethod.S256)
			.build();
		URI redirect = browser().authorize(request.toURI(), "bob", CALLBACK.toString());
		OIDCTokenResponse tokens = exchange(
				AuthorizationResponse.parse(redirect).toSuccessResponse().getAuthorizationCode(), verifier);
		TokenIntrospectionResponse introspection = introspect(tokens.getOIDCTokens().getAccessToken().getValue());
		var success = introspection.toSuccessResponse();
		assertThat(success.isActive()).isTrue();
		assertThat(success.getClientID()).isEqualTo(LIVE_WEB);
		assertThat(success.getExpirationTime().toInstant()).isAfter(Instant.now().plus(Duration.ofMinutes(119)));
	}

	OIDCTokenResponse exchange(AuthorizationCode code, CodeVerifier verifier) throws Exception {
		TokenResponse response = OIDCTokenResponseParser.parse(new TokenRequest(this.provider.getTokenEndpointURI(),
				this.liveWebAuth, new AuthorizationCodeGrant(code, CALLBACK, verifier))
			.toHTTPRequest()
			.send());
		if (response instanceof TokenErrorResponse error) {
			throw new AssertionError("Token request failed: " + error.getErrorObject());
		}
		return (OIDCTokenResponse) response.toSuccessResponse();
	}

	TokenResponse refresh(RefreshToken token) throws Exception {
		return OIDCTokenResponseParser.parse(new TokenRequest(this.provider.getTokenEndpointURI(), this.liveWebAuth,
				new RefreshTokenGrant(token))
			.toHTTPRequest()
			.send());
	}

	TokenIntrospectionResponse introspect(String token) throws Exception {
		return TokenIntrospectionResponse.parse(new TokenIntrospectionRequest(
				this.provider.getIntrospectionEndpointURI(), this.liveWebAuth, new com.nimbusds.oauth2.sdk.token.TypelessAccessToken(token))
			.toHTTPRequest()
			.send());
	}

}
