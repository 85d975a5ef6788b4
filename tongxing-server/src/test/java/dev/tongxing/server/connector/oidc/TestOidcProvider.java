package dev.tongxing.server.connector.oidc;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;

/**
 * A small OpenID Connect provider on loopback, so that a test controls the upstream of the OIDC connector without
 * starting a second gateway: discovery, its RSA key as JWKS, an authorization step that checks the request and
 * issues a code for a person, and a token endpoint that redeems each code once (client secret, redirect URI and
 * PKCE verifier checked, see {@link TokenEndpoint}) for an ID token it signs. A test can make it refuse every code or
 * be busy.
 */
final class TestOidcProvider implements AutoCloseable {

	/** How the token endpoint answers from now on. */
	enum Mode {

		/** Redeems the codes it issued. */
		WORKING,
		/** Answers {@code invalid_grant} to every code. */
		REFUSING,
		/** Answers HTTP 503 {@code temporarily_unavailable}. */
		BUSY

	}

	/** A code waiting to be redeemed, with what the authorization request bound it to. */
	record Grant(String person, String redirectUri, String nonce, String codeChallenge) {
	}

	private final String clientId;

	private final String clientSecret;

	private final HttpServer server;

	private final RSAKey key;

	private final Map<String, Grant> codes = new ConcurrentHashMap<>();

	private volatile Mode mode = Mode.WORKING;

	/** Listens on a free loopback port at once, for the one client it knows. */
	TestOidcProvider(String clientId, String clientSecret) {
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		try {
			this.key = new RSAKeyGenerator(2048).keyID("test-" + UUID.randomUUID()).generate();
			this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
		this.server.createContext("/", this::serve);
		this.server.start();
	}

	String issuer() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	void mode(Mode mode) {
		this.mode = mode;
	}

	/**
	 * What the provider's authorization endpoint does once {@code person} has signed in and agreed: checks the
	 * request the connector sent the browser with, and answers its redirect URI with a fresh code, the state and
	 * the issuer (RFC 9207).
	 * @throws IllegalArgumentException for a request this provider would not serve
	 */
	URI answer(URI authorization, String person) {
		Map<String, String> query = dev.tongxing.server.testing.TestBrowser.query(authorization);
		require(authorization.toString().startsWith(issuer() + "/authorize?"), "not this provider's endpoint");
		require(this.clientId.equals(query.get("client_id")), "unknown client");
		require("code".equals(query.get("response_type")), "only the code flow");
		require(List.of(query.getOrDefault("scope", "").split(" ")).contains("openid"), "no openid scope");
		require("S256".equals(query.get("code_challenge_method")), "PKCE S256 required");
		require(query.get("state") != null && query.get("nonce") != null && query.get("redirect_uri") != null,
				"state, nonce and redirect_uri required");
		String code = UUID.randomUUID().toString();
		this.codes.put(code, new Grant(person, query.get("redirect_uri"), query.get("nonce"), query.get("code_challenge")));
		return URI.create(query.get("redirect_uri") + "?code=" + code + "&state=" + encode(query.get("state")) + "&iss="
				+ encode(issuer()));
	}

	private void serve(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			Reply reply = switch (path) {
				case "/.well-known/openid-configuration" -> new Reply(200, discovery());
				case "/jwks" -> new Reply(200, new JWKSet(this.key.toPublicJWK()).toPublicJWKSet().toString());
				case "/token" -> token(exchange.getRequestHeaders().getFirst("Authorization"), body);
				default -> new Reply(404, "{}");
			};
			byte[] bytes = reply.json().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().set("Content-Type", "application/json");
			exchange.getResponseHeaders().set("Cache-Control", "no-store");
			exchange.sendResponseHeaders(reply.status(), bytes.length);
			exchange.getResponseBody().write(bytes);
		}
	}

	private Reply token(String authorization, String form) {
		return switch (this.mode) {
			case BUSY -> Reply.error(503, "temporarily_unavailable");
			case REFUSING -> Reply.error(400, "invalid_grant");
			case WORKING -> new TokenEndpoint(this.clientId, this.clientSecret, this.codes).redeem(authorization, form)
				.map(this::tokens)
				.orElseGet(() -> Reply.error(400, "invalid_grant"));
		};
	}

	private Reply tokens(Grant grant) {
		Instant now = Instant.now();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer())
			.subject(grant.person())
			.audience(this.clientId)
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(Duration.ofMinutes(5))))
			.claim("nonce", grant.nonce())
			.claim("name", grant.person())
			.build();
		SignedJWT idToken = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).build(),
				claims);
		try {
			idToken.sign(new RSASSASigner(this.key));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return new Reply(200, JSONObjectUtils.toJSONString(Map.of("access_token", UUID.randomUUID().toString(),
				"token_type", "Bearer", "expires_in", 300, "id_token", idToken.serialize())));
	}

	private String discovery() {
		String base = issuer();
		return JSONObjectUtils.toJSONString(Map.of("issuer", base, "authorization_endpoint", base + "/authorize",
				"token_endpoint", base + "/token", "jwks_uri", base + "/jwks", "response_types_supported", List.of("code"),
				"subject_types_supported", List.of("public"), "id_token_signing_alg_values_supported", List.of("RS256"),
				"token_endpoint_auth_methods_supported", List.of("client_secret_basic"),
				"code_challenge_methods_supported", List.of("S256"), "authorization_response_iss_parameter_supported",
				true));
	}

	private static void require(boolean condition, String problem) {
		if (!condition) {
			throw new IllegalArgumentException(problem);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

	/** An HTTP status and a JSON body. */
	private record Reply(int status, String json) {

		static Reply error(int status, String error) {
			return new Reply(status, JSONObjectUtils.toJSONString(Map.of("error", error)));
		}

	}

}
