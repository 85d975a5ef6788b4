package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * DPoP (RFC 9449): a client that proves possession of a key gets tokens bound to it ({@code token_type} DPoP,
 * {@code cnf.jkt}), introspection says so, and a bound token is good at userinfo only with a fresh proof of the
 * same key.
 */
class DpopTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	final HttpClient http = HttpClient.newHttpClient();

	final JsonMapper json = JsonMapper.builder().build();

	static String proof(ECKey key, String method, String uri, String accessToken) throws Exception {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.claim("htm", method)
			.claim("htu", uri)
			.issueTime(new Date());
		if (accessToken != null) {
			claims.claim("ath", Base64.getUrlEncoder().withoutPadding().encodeToString(
					MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII))));
		}
		SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("dpop+jwt"))
			.jwk(key.toPublicJWK()).build(), claims.build());
		jwt.sign(new ECDSASigner(key));
		return jwt.serialize();
	}

	HttpResponse<String> token(String client, String secret, Map<String, String> form, String dpop) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString((client + ":" + secret).getBytes()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form.entrySet().stream()
				.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
				.collect(Collectors.joining("&"))));
		if (dpop != null) {
			request.header("DPoP", dpop);
		}
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	JsonNode introspect(String token) throws Exception {
		HttpResponse<String> response = this.http.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/introspect"))
			.header("Authorization", "Basic " + Base64.getEncoder().encodeToString("backend:backend-secret".getBytes()))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("token=" + token))
			.build(), HttpResponse.BodyHandlers.ofString());
		return this.json.readTree(response.body());
	}

	@Test
	void aProofOfPossessionBindsTheClientsTokenToItsKey() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		HttpResponse<String> response = token("backend", "backend-secret", Map.of("grant_type", "client_credentials"),
				proof(key, "POST", this.issuer + "/oauth2/token", null));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode tokens = this.json.readTree(response.body());
		assertThat(tokens.path("token_type").asString()).isEqualTo("DPoP");
		String accessToken = tokens.path("access_token").asString();
		String jkt = key.computeThumbprint().toString();
		assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf")).containsEntry("jkt", jkt);
		JsonNode introspection = introspect(accessToken);
		assertThat(introspection.path("active").asBoolean()).isTrue();
		assertThat(introspection.path("token_type").asString()).isEqualTo("DPoP");
		assertThat(introspection.path("cnf").path("jkt").asString()).isEqualTo(jkt);

		// without a proof the token is a plain bearer token, as before
		JsonNode plain = this.json.readTree(token("backend", "backend-secret", Map.of("grant_type", "client_credentials"),
				null).body());
		assertThat(plain.path("token_type").asString()).isEqualTo("Bearer");
		assertThat(SignedJWT.parse(plain.path("access_token").asString()).getJWTClaimsSet().getClaim("cnf")).isNull();
		assertThat(introspect(plain.path("access_token").asString()).path("token_type").asString()).isEqualTo("Bearer");
	}

	@Test
	void discoveryNamesTheProofAlgorithmsItTakes() throws Exception {
		JsonNode discovery = this.json.readTree(this.http.send(
				HttpRequest.newBuilder(URI.create(this.issuer + "/.well-known/openid-configuration")).build(),
				HttpResponse.BodyHandlers.ofString()).body());
		assertThat(discovery.path("dpop_signing_alg_values_supported").toString()).contains("ES256").contains("RS256");
	}

	@Test
	void aProofForAnotherUriOrMethodIsRefused() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		for (String proof : new String[] { proof(key, "POST", this.issuer + "/elsewhere", null),
				proof(key, "GET", this.issuer + "/oauth2/token", null), "not-a-jwt" }) {
			HttpResponse<String> refused = token("backend", "backend-secret", Map.of("grant_type", "client_credentials"),
					proof);
			assertThat(refused.statusCode()).isEqualTo(400);
			assertThat(this.json.readTree(refused.body()).path("error").asString()).isEqualTo("invalid_dpop_proof");
		}
	}

	@Test
	void aPersonsBoundTokenIsGoodAtUserinfoOnlyWithAProofOfTheSameKey() throws Exception {
		ECKey key = new ECKeyGenerator(Curve.P_256).generate();
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce);
		URI back = browser().authorize(new OAuthClient(this.issuer).authorizeUri(params), "alice", CALLBACK);
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", TestBrowser.query(back).get("code"));
		form.put("redirect_uri", CALLBACK);
		form.put("code_verifier", pkce.verifier());
		HttpResponse<String> response = token("live-web", "s3cret", form, proof(key, "POST", this.issuer + "/oauth2/token", null));
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode tokens = this.json.readTree(response.body());
		assertThat(tokens.path("token_type").asString()).isEqualTo("DPoP");
		String accessToken = tokens.path("access_token").asString();

		String userinfo = this.issuer + "/userinfo";
		HttpResponse<String> withProof = this.http.send(HttpRequest.newBuilder(URI.create(userinfo))
			.header("Authorization", "DPoP " + accessToken)
			.header("DPoP", proof(key, "GET", userinfo, accessToken))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(withProof.statusCode()).as(withProof.body()).isEqualTo(200);
		assertThat(this.json.readTree(withProof.body()).path("sub").asString()).isNotBlank();

		ECKey other = new ECKeyGenerator(Curve.P_256).generate();
		HttpResponse<String> otherKey = this.http.send(HttpRequest.newBuilder(URI.create(userinfo))
			.header("Authorization", "DPoP " + accessToken)
			.header("DPoP", proof(other, "GET", userinfo, accessToken))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(otherKey.statusCode()).isEqualTo(401);

		HttpResponse<String> asBearer = this.http.send(HttpRequest.newBuilder(URI.create(userinfo))
			.header("Authorization", "Bearer " + accessToken)
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(asBearer.statusCode()).isEqualTo(401);
	}

}
