package dev.tongxing.server.mtls;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.util.X509CertUtils;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.TestBrowser;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Mutual-TLS client authentication and certificate-bound access tokens (RFC 8705) over real TLS on loopback: a CA
 * made for the run issues the gateway's certificate and the clients'; the gateway runs its mTLS connector
 * ({@code tongxing.mtls.port}); clients are JDK HTTP clients holding their keys.
 */
class MutualTlsTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final String PKI_SUBJECT = "CN=mtls-pki,O=Tongxing Test";

	static final TestPki CA = new TestPki("Tongxing Test Client CA");

	static final TestPki OTHER_CA = new TestPki("Somebody Else's CA");

	/** The tls_client_auth client's own certificate, from the trusted CA. */
	static final TestPki.Identity PKI_CLIENT = CA.client(PKI_SUBJECT);

	/** The self_signed_tls_client_auth client's certificate, published in its JWK set. */
	static final TestPki.Identity SELF_SIGNED_CLIENT = TestPki.selfSigned("CN=mtls-self");

	static final int MTLS_PORT = FreePort.find();

	static final HttpServer JWKS = jwks(SELF_SIGNED_CLIENT.certificate());

	final JsonMapper json = JsonMapper.builder().build();

	@DynamicPropertySource
	static void mtls(DynamicPropertyRegistry registry) throws Exception {
		Path directory = Files.createTempDirectory("tongxing-mtls");
		TestPki.Identity server = CA.server();
		registry.add("tongxing.mtls.port", () -> MTLS_PORT);
		registry.add("tongxing.mtls.certificate", () -> TestPki
			.write(directory, "server.pem", TestPki.pem((Object[]) server.chain())).toString());
		registry.add("tongxing.mtls.private-key",
				() -> TestPki.write(directory, "server-key.pem", TestPki.pkcs8(server.keys().getPrivate())).toString());
		registry.add("tongxing.mtls.client-ca",
				() -> TestPki.write(directory, "client-ca.pem", TestPki.pem(CA.caCertificate())).toString());
		registry.add("tongxing.mtls.client-certificate-header", () -> "X-Client-Cert");
		registry.add("tongxing.proxy.trusted-proxies", () -> "127.0.0.2");
		// these clients replace the test profile's list in this context
		registry.add("tongxing.clients[0].client-id", () -> "mtls-pki");
		registry.add("tongxing.clients[0].client-authentication-method", () -> "tls_client_auth");
		registry.add("tongxing.clients[0].tls-client-auth-subject-dn", () -> "CN=mtls-pki, O=Tongxing Test");
		registry.add("tongxing.clients[0].tls-client-certificate-bound-access-tokens", () -> "true");
		registry.add("tongxing.clients[0].grant-types", () -> "authorization_code,refresh_token,client_credentials");
		registry.add("tongxing.clients[0].redirect-uris", () -> CALLBACK);
		registry.add("tongxing.clients[0].scopes", () -> "openid,profile,offline_access");
		registry.add("tongxing.clients[0].first-party", () -> "true");
		registry.add("tongxing.clients[1].client-id", () -> "mtls-self");
		registry.add("tongxing.clients[1].client-authentication-method", () -> "self_signed_tls_client_auth");
		registry.add("tongxing.clients[1].jwks-uri",
				() -> "http://127.0.0.1:" + JWKS.getAddress().getPort() + "/jwks.json");
		registry.add("tongxing.clients[1].tls-client-certificate-bound-access-tokens", () -> "true");
		registry.add("tongxing.clients[1].grant-types", () -> "client_credentials");
		registry.add("tongxing.clients[1].scopes", () -> "openid");
		registry.add("tongxing.clients[2].client-id", () -> "plain-backend");
		registry.add("tongxing.clients[2].client-secret", () -> "plain-secret");
		registry.add("tongxing.clients[2].grant-types", () -> "client_credentials");
		registry.add("tongxing.clients[2].scopes", () -> "openid");
	}

	/** The self-signed client's JWK set (its certificate as {@code x5c}), as the client would publish it. */
	static HttpServer jwks(X509Certificate certificate) {
		try {
			byte[] body = new JWKSet(JWK.parse(certificate)).toString().getBytes(StandardCharsets.UTF_8);
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			server.createContext("/jwks.json", exchange -> {
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(200, body.length);
				exchange.getResponseBody().write(body);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

	String mtls(String path) {
		return "https://127.0.0.1:" + MTLS_PORT + path;
	}

	static HttpClient client(TestPki.Identity identity) {
		return HttpClient.newBuilder().sslContext(CA.sslContext(identity)).build();
	}

	static String form(Map<String, String> fields) {
		return fields.entrySet()
			.stream()
			.map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
	}

	static HttpResponse<String> post(HttpClient http, String url, Map<String, String> fields) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(form(fields)))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	static HttpResponse<String> get(HttpClient http, String url, String accessToken) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + accessToken).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	HttpResponse<String> clientCredentials(HttpClient http, String clientId) throws Exception {
		return post(http, mtls("/oauth2/token"), Map.of("grant_type", "client_credentials", "client_id", clientId));
	}

	static String thumbprint(X509Certificate certificate) {
		return X509CertUtils.computeSHA256Thumbprint(certificate).toString();
	}

	JsonNode body(HttpResponse<String> response) {
		return this.json.readTree(response.body());
	}

	@Test
	void aCaIssuedCertificateWithTheRegisteredSubjectAuthenticatesTheClientAndBindsItsToken() throws Exception {
		HttpClient http = client(PKI_CLIENT);
		HttpResponse<String> response = clientCredentials(http, "mtls-pki");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		JsonNode tokens = body(response);
		assertThat(tokens.path("token_type").asString()).isEqualTo("Bearer"); // RFC 8705 tokens stay bearer tokens
		String accessToken = tokens.path("access_token").asString();
		String x5t = thumbprint(PKI_CLIENT.certificate());
		assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf")).containsEntry("x5t#S256", x5t);

		// introspection, by the client itself over its mTLS connection, names the certificate
		JsonNode introspection = body(post(http, mtls("/oauth2/introspect"),
				Map.of("token", accessToken, "client_id", "mtls-pki")));
		assertThat(introspection.path("active").asBoolean()).as(introspection.toString()).isTrue();
		assertThat(introspection.path("cnf").path("x5t#S256").asString()).isEqualTo(x5t);
	}

	@Test
	void aSelfSignedCertificateInTheClientsJwkSetAuthenticatesIt() throws Exception {
		HttpResponse<String> response = clientCredentials(client(SELF_SIGNED_CLIENT), "mtls-self");
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(body(response).path("access_token").asString()).getJWTClaimsSet()
			.getJSONObjectClaim("cnf")).containsEntry("x5t#S256", thumbprint(SELF_SIGNED_CLIENT.certificate()));
	}

	@Test
	void noCertificateOrTheWrongOneIsInvalidClient() throws Exception {
		Map<String, TestPki.Identity> wrong = new LinkedHashMap<>();
		wrong.put("no certificate", null);
		wrong.put("the trusted CA's, another subject", CA.client("CN=someone-else,O=Tongxing Test"));
		wrong.put("the right subject from another CA", OTHER_CA.client(PKI_SUBJECT));
		wrong.put("the right subject, self-signed", TestPki.selfSigned(PKI_SUBJECT));
		wrong.put("the other client's certificate", SELF_SIGNED_CLIENT);
		for (Map.Entry<String, TestPki.Identity> attempt : wrong.entrySet()) {
			HttpResponse<String> refused = clientCredentials(client(attempt.getValue()), "mtls-pki");
			assertThat(refused.statusCode()).as(attempt.getKey() + ": " + refused.body()).isIn(400, 401);
			assertThat(body(refused).path("error").asString()).as(attempt.getKey()).isEqualTo("invalid_client");
		}
		// a self-signed certificate that is not in the client's JWK set
		HttpResponse<String> notRegistered = clientCredentials(client(TestPki.selfSigned("CN=mtls-self")), "mtls-self");
		assertThat(body(notRegistered).path("error").asString()).isEqualTo("invalid_client");
		// and a certificate proves nothing for a client with a secret that does not send it
		HttpResponse<String> secretClient = clientCredentials(client(PKI_CLIENT), "plain-backend");
		assertThat(body(secretClient).path("error").asString()).isEqualTo("invalid_client");
	}

	@Test
	void aPersonsBoundTokenIsGoodAtUserinfoOnlyWithTheSameCertificate() throws Exception {
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("mtls-pki", CALLBACK, "openid profile offline_access", pkce);
		URI back = new TestBrowser(this.issuer).authorize(new OAuthClient(this.issuer).authorizeUri(params), "alice",
				CALLBACK);
		HttpClient http = client(PKI_CLIENT);
		Map<String, String> exchange = new LinkedHashMap<>();
		exchange.put("grant_type", "authorization_code");
		exchange.put("code", TestBrowser.query(back).get("code"));
		exchange.put("redirect_uri", CALLBACK);
		exchange.put("code_verifier", pkce.verifier());
		exchange.put("client_id", "mtls-pki");
		HttpResponse<String> response = post(http, mtls("/oauth2/token"), exchange);
		assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
		String accessToken = body(response).path("access_token").asString();
		String x5t = thumbprint(PKI_CLIENT.certificate());
		assertThat(SignedJWT.parse(accessToken).getJWTClaimsSet().getJSONObjectClaim("cnf")).containsEntry("x5t#S256", x5t);

		HttpResponse<String> sameCertificate = get(http, mtls("/userinfo"), accessToken);
		assertThat(sameCertificate.statusCode()).as(sameCertificate.body()).isEqualTo(200);
		assertThat(body(sameCertificate).path("sub").asString()).isNotBlank();

		HttpResponse<String> otherCertificate = get(client(CA.client("CN=someone-else,O=Tongxing Test")),
				mtls("/userinfo"), accessToken);
		assertThat(otherCertificate.statusCode()).isEqualTo(401);
		assertThat(otherCertificate.headers().firstValue("WWW-Authenticate").orElse("")).startsWith("Bearer")
			.contains("invalid_token");
		assertThat(get(client(null), mtls("/userinfo"), accessToken).statusCode()).isEqualTo(401);
		assertThat(get(HttpClient.newHttpClient(), this.issuer + "/userinfo", accessToken).statusCode()).isEqualTo(401);

		// the person's token is introspected from its authorization row: the binding is there too
		JsonNode introspection = body(post(http, mtls("/oauth2/introspect"),
				Map.of("token", accessToken, "client_id", "mtls-pki")));
		assertThat(introspection.path("active").asBoolean()).as(introspection.toString()).isTrue();
		assertThat(introspection.path("cnf").path("x5t#S256").asString()).isEqualTo(x5t);

		// a refresh authenticates the client by its certificate again, and the new token is bound to it
		HttpResponse<String> refreshed = post(http, mtls("/oauth2/token"), Map.of("grant_type", "refresh_token",
				"refresh_token", body(response).path("refresh_token").asString(), "client_id", "mtls-pki"));
		assertThat(refreshed.statusCode()).as(refreshed.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(body(refreshed).path("access_token").asString()).getJWTClaimsSet()
			.getJSONObjectClaim("cnf")).containsEntry("x5t#S256", x5t);
	}

	@Test
	void discoveryNamesTheCertificateMethodsBoundTokensAndTheMtlsEndpoints() throws Exception {
		for (String document : new String[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" }) {
			JsonNode discovery = body(HttpClient.newHttpClient().send(
					HttpRequest.newBuilder(URI.create(this.issuer + document)).build(), HttpResponse.BodyHandlers.ofString()));
			assertThat(discovery.path("tls_client_certificate_bound_access_tokens").asBoolean()).as(document).isTrue();
			assertThat(discovery.path("token_endpoint_auth_methods_supported").toString()).contains("\"tls_client_auth\"")
				.contains("\"self_signed_tls_client_auth\"").contains("\"client_secret_basic\"");
			assertThat(discovery.path("introspection_endpoint_auth_methods_supported").toString()).contains("\"tls_client_auth\"");
			JsonNode aliases = discovery.path("mtls_endpoint_aliases");
			assertThat(aliases.path("token_endpoint").asString()).isEqualTo(mtls("/oauth2/token"));
			assertThat(aliases.path("introspection_endpoint").asString()).isEqualTo(mtls("/oauth2/introspect"));
			assertThat(aliases.path("revocation_endpoint").asString()).isEqualTo(mtls("/oauth2/revoke"));
			// the ordinary endpoints stay where they were
			assertThat(discovery.path("token_endpoint").asString()).isEqualTo(this.issuer + "/oauth2/token");
		}
		JsonNode oidc = body(HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create(this.issuer + "/.well-known/openid-configuration")).build(),
				HttpResponse.BodyHandlers.ofString()));
		assertThat(oidc.path("mtls_endpoint_aliases").path("userinfo_endpoint").asString()).isEqualTo(mtls("/userinfo"));
	}

	@Test
	void aCertificateForwardedByATrustedProxyCountsAndFromAnyoneElseNot() throws Exception {
		String header = URLEncoder.encode(TestPki.pem(PKI_CLIENT.certificate()), StandardCharsets.UTF_8);
		Map<String, String> request = Map.of("grant_type", "client_credentials", "client_id", "mtls-pki");
		HttpClient proxy = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.2")).build();
		HttpResponse<String> viaProxy = proxy.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Client-Cert", header)
			.POST(HttpRequest.BodyPublishers.ofString(form(request)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(viaProxy.statusCode()).as(viaProxy.body()).isEqualTo(200);
		assertThat(SignedJWT.parse(body(viaProxy).path("access_token").asString()).getJWTClaimsSet()
			.getJSONObjectClaim("cnf")).containsEntry("x5t#S256", thumbprint(PKI_CLIENT.certificate()));

		HttpResponse<String> direct = HttpClient.newHttpClient().send(
				HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
					.header("Content-Type", "application/x-www-form-urlencoded")
					.header("X-Client-Cert", header)
					.POST(HttpRequest.BodyPublishers.ofString(form(request)))
					.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(direct.statusCode()).isEqualTo(401);
		assertThat(body(direct).path("error").asString()).isEqualTo("invalid_client");

		// garbage from the proxy: no certificate, a clean invalid_client
		HttpResponse<String> garbage = proxy.send(HttpRequest.newBuilder(URI.create(this.issuer + "/oauth2/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.header("X-Client-Cert", "-----BEGIN%20CERTIFICATE-----%0Anot-base64%0A-----END%20CERTIFICATE-----")
			.POST(HttpRequest.BodyPublishers.ofString(form(request)))
			.build(), HttpResponse.BodyHandlers.ofString());
		assertThat(garbage.statusCode()).isEqualTo(401);
		assertThat(body(garbage).path("error").asString()).isEqualTo("invalid_client");
	}

}
