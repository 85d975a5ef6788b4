package dev.tongxing.server.connector.oidc;

import dev.tongxing.server.login.PendingLogins;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.ops.AvailabilityProbes;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.GatewayNode;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Another Tongxing gateway as the upstream OpenID Connect provider: a client's authorization request goes
 * through the downstream login page to the upstream's test-user login and back, and ends in downstream
 * tokens. The upstream listens on 127.0.0.2 so the two gateways' session cookies do not mix in one browser.
 */
class OidcUpstreamLoginTest extends GatewayTest {

	static final String CLIENT_CALLBACK = "http://127.0.0.1:3000/callback";

	static final int UPSTREAM_PORT = FreePort.find();

	/** This gateway's port, known before the upstream starts: a confidential client's redirect URI matches exactly. */
	static final int DOWNSTREAM_PORT = FreePort.find();

	static final String UPSTREAM = "http://127.0.0.2:" + UPSTREAM_PORT;

	static final GatewayNode upstreamNode = GatewayNode.start(UPSTREAM, UPSTREAM_PORT, upstreamClients());

	/** A provider whose token endpoint is in trouble (HTTP 503), counting the token requests it gets. */
	static final java.util.concurrent.atomic.AtomicInteger flakyTokenRequests = new java.util.concurrent.atomic.AtomicInteger();

	static final com.sun.net.httpserver.HttpServer flakyUpstream = flakyUpstream();

	static final String FLAKY = "http://127.0.0.1:" + flakyUpstream.getAddress().getPort();

	static com.sun.net.httpserver.HttpServer flakyUpstream() {
		try {
			var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			String base = "http://127.0.0.1:" + server.getAddress().getPort();
			server.createContext("/", exchange -> {
				String path = exchange.getRequestURI().getPath();
				int status = 404;
				String body = "{}";
				if (path.equals("/.well-known/openid-configuration")) {
					status = 200;
					body = "{\"issuer\":\"" + base + "\",\"authorization_endpoint\":\"" + base + "/authorize\","
							+ "\"token_endpoint\":\"" + base + "/token\",\"jwks_uri\":\"" + base + "/jwks\","
							+ "\"response_types_supported\":[\"code\"],\"subject_types_supported\":[\"public\"],"
							+ "\"id_token_signing_alg_values_supported\":[\"RS256\"]}";
				}
				else if (path.equals("/jwks")) {
					status = 200;
					body = "{\"keys\":[]}";
				}
				else if (path.equals("/token")) {
					flakyTokenRequests.incrementAndGet();
					status = 503;
					body = "{\"error\":\"temporarily_unavailable\"}";
				}
				byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
				exchange.getResponseHeaders().add("Content-Type", "application/json");
				exchange.sendResponseHeaders(status, bytes.length);
				exchange.getResponseBody().write(bytes);
				exchange.close();
			});
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Accepts connections (the kernel does, into the backlog) but never answers. */
	static final ServerSocket silentUpstream = silentSocket();

	@Autowired
	MutableClock clock;

	@Autowired
	LoginEvents events;

	@Autowired
	CircuitBreakerRegistry breakers;

	@Autowired
	AvailabilityProbes probes;

	/**
	 * The downstream gateway, registered at the upstream: the confidential client with its exact redirect URI,
	 * the public one (a native app's rule) on any loopback port.
	 */
	static Map<String, Object> upstreamClients() {
		Map<String, Object> clients = new LinkedHashMap<>();
		clients.put("tongxing.clients[0].client-id", "downstream");
		clients.put("tongxing.clients[0].client-secret", "downstream-secret");
		clients.put("tongxing.clients[0].redirect-uris", "http://127.0.0.1:" + DOWNSTREAM_PORT + "/login/oidc/up/callback");
		clients.put("tongxing.clients[0].scopes", "openid,profile");
		clients.put("tongxing.clients[0].first-party", "true");
		clients.put("tongxing.clients[1].client-id", "downstream-public");
		clients.put("tongxing.clients[1].redirect-uris", "http://127.0.0.1/login/oidc/pub/callback");
		clients.put("tongxing.clients[1].scopes", "openid,profile");
		clients.put("tongxing.clients[1].first-party", "true");
		return clients;
	}

	@DynamicPropertySource
	static void upstreams(DynamicPropertyRegistry registry) {
		registry.add(PORT_PROPERTY, () -> DOWNSTREAM_PORT);
		registry.add("tongxing.oidc-upstreams[0].id", () -> "up");
		registry.add("tongxing.oidc-upstreams[0].display-name", () -> "Upstream SSO");
		registry.add("tongxing.oidc-upstreams[0].display-name-zh", () -> "上游通行");
		registry.add("tongxing.oidc-upstreams[0].issuer", () -> UPSTREAM);
		registry.add("tongxing.oidc-upstreams[0].client-id", () -> "downstream");
		registry.add("tongxing.oidc-upstreams[0].client-secret", () -> "downstream-secret");
		registry.add("tongxing.oidc-upstreams[1].id", () -> "pub");
		registry.add("tongxing.oidc-upstreams[1].display-name", () -> "Upstream, public client");
		registry.add("tongxing.oidc-upstreams[1].issuer", () -> UPSTREAM);
		registry.add("tongxing.oidc-upstreams[1].client-id", () -> "downstream-public");
		registry.add("tongxing.oidc-upstreams[1].userinfo", () -> "false");
		int nobody = FreePort.find();
		registry.add("tongxing.oidc-upstreams[2].id", () -> "down");
		registry.add("tongxing.oidc-upstreams[2].display-name", () -> "Broken SSO");
		registry.add("tongxing.oidc-upstreams[2].issuer", () -> "http://127.0.0.1:" + nobody);
		registry.add("tongxing.oidc-upstreams[2].client-id", () -> "x");
		registry.add("tongxing.oidc-upstreams[2].timeout", () -> "2s");
		registry.add("tongxing.oidc-upstreams[3].id", () -> "silent");
		registry.add("tongxing.oidc-upstreams[3].display-name", () -> "Silent SSO");
		registry.add("tongxing.oidc-upstreams[3].issuer", () -> "http://127.0.0.1:" + silentUpstream.getLocalPort());
		registry.add("tongxing.oidc-upstreams[3].client-id", () -> "x");
		registry.add("tongxing.oidc-upstreams[3].timeout", () -> "500ms");
		// the provider's discovery document names its issuer without the slash: not the configured one
		registry.add("tongxing.oidc-upstreams[4].id", () -> "slash");
		registry.add("tongxing.oidc-upstreams[4].display-name", () -> "Misconfigured SSO");
		registry.add("tongxing.oidc-upstreams[4].issuer", () -> UPSTREAM + "/");
		registry.add("tongxing.oidc-upstreams[4].client-id", () -> "downstream");
		registry.add("tongxing.oidc-upstreams[5].id", () -> "flaky");
		registry.add("tongxing.oidc-upstreams[5].display-name", () -> "Flaky SSO");
		registry.add("tongxing.oidc-upstreams[5].issuer", () -> FLAKY);
		registry.add("tongxing.oidc-upstreams[5].client-id", () -> "x");
		registry.add("tongxing.oidc-upstreams[5].client-secret", () -> "y");
	}

	static ServerSocket silentSocket() {
		try {
			return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@AfterAll
	static void stopUpstream() throws IOException {
		upstreamNode.close();
		silentUpstream.close();
		flakyUpstream.stop(0);
	}

	@Test
	void theLoginPageOffersEachUpstreamByName() {
		HttpResponse<String> en = browser().get("/login", "en");
		assertThat(en.body()).contains("data-provider=\"oidc:up\"", "href=\"/login/oidc/up\"", "Sign in with Upstream SSO",
				"data-provider=\"oidc:pub\"");
		assertThat(browser().get("/login", "zh-CN").body()).contains("使用上游通行登录");
	}

	@Test
	void onePersonUpstreamIsOnePersonHere() throws Exception {
		JWTClaimsSet alice = signInThroughUpstream(browser(), "up", "alice");
		JWTClaimsSet aliceAgain = signInThroughUpstream(browser(), "up", "alice");
		JWTClaimsSet bob = signInThroughUpstream(browser(), "up", "bob");
		assertThat(aliceAgain.getSubject()).isEqualTo(alice.getSubject());
		assertThat(bob.getSubject()).isNotEqualTo(alice.getSubject());
		assertThat(alice.getStringClaim("name")).isEqualTo("alice");
	}

	@Test
	void aPublicClientUpstreamWorksWithPkceAlone() throws Exception {
		JWTClaimsSet carol = signInThroughUpstream(browser(), "pub", "carol");
		assertThat(carol.getSubject()).isNotBlank();
		// another upstream configuration is another identity namespace, even for the same provider
		assertThat(carol.getSubject()).isNotEqualTo(signInThroughUpstream(browser(), "up", "carol").getSubject());
	}

	@Test
	void aTamperedOrMissingStateIsRefusedAndTheRealCallbackCountsOnce() {
		TestBrowser browser = browser();
		URI callback = upstreamAnswer(browser, "up", "dave");
		Map<String, String> query = TestBrowser.query(callback);
		assertBackOnLoginPage(browser, browser.get(callback.toString().replace("state=", "state=x")), "up", "expired");
		assertBackOnLoginPage(browser, browser.get(issuer + "/login/oidc/up/callback?code=" + query.get("code")), "up",
				"expired");
		HttpResponse<String> signedIn = browser.get(callback.toString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertBackOnLoginPage(browser, browser.get(callback.toString()), "up", "expired");
	}

	@Test
	void aCallbackOnlyCountsInTheBrowserThatBeganTheLogin() {
		URI callback = upstreamAnswer(browser(), "up", "erin");
		TestBrowser another = browser();
		assertBackOnLoginPage(another, another.get(callback.toString()), "up", "expired");
	}

	@Test
	void anOldLoginHasExpired() {
		TestBrowser browser = browser();
		URI callback = upstreamAnswer(browser, "up", "frank");
		this.clock.advance(PendingLogins.TTL.plusSeconds(1));
		try {
			assertBackOnLoginPage(browser, browser.get(callback.toString()), "up", "expired");
		}
		finally {
			this.clock.reset();
		}
	}

	@Test
	void cancellingUpstreamComesBackWithWordsNotTheProvidersError() {
		TestBrowser browser = browser();
		String state = TestBrowser.query(redirectToUpstream(browser, "up")).get("state");
		HttpResponse<String> page = assertBackOnLoginPage(browser,
				browser.get(issuer + "/login/oidc/up/callback?error=access_denied"
						+ "&error_description=%3Cb%3Einternal+detail%3C%2Fb%3E&iss=" + UPSTREAM + "&state=" + state),
				"up", "cancelled");
		assertThat(page.body()).contains("Signing in with Upstream SSO was cancelled").doesNotContain("access_denied");
	}

	@Test
	void anAnswerNamingAnotherIssuerIsRefused() {
		TestBrowser browser = browser();
		String state = TestBrowser.query(redirectToUpstream(browser, "up")).get("state");
		assertBackOnLoginPage(browser,
				browser.get(issuer + "/login/oidc/up/callback?code=abc&iss=https%3A%2F%2Fevil.example&state=" + state), "up",
				"invalid");
	}

	@Test
	void aCodeTheUpstreamRefusesEndsReadably() {
		TestBrowser browser = browser();
		String state = TestBrowser.query(redirectToUpstream(browser, "up")).get("state");
		assertBackOnLoginPage(browser,
				browser.get(issuer + "/login/oidc/up/callback?code=forged&iss=" + UPSTREAM + "&state=" + state), "up",
				"refused");
	}

	@Test
	void aCodeIsSentToTheProviderOnceEvenWhenItsTokenEndpointFails() {
		TestBrowser browser = browser();
		HttpResponse<String> begin = browser.get(issuer + "/login/oidc/flaky");
		URI authorize = URI.create(begin.headers().firstValue("Location").orElseThrow());
		assertThat(authorize.toString()).startsWith(FLAKY + "/authorize?");
		String state = TestBrowser.query(authorize).get("state");
		int before = this.events.size();
		int tokenRequestsBefore = flakyTokenRequests.get();
		HttpResponse<String> back = browser.get(issuer + "/login/oidc/flaky/callback?code=one-time&iss=" + FLAKY
				+ "&state=" + state);
		assertThat(back.headers().firstValue("Location").orElse("")).contains("/login?error=");
		// a code is good once: a retry could only fail, or worse, succeed twice
		assertThat(flakyTokenRequests.get() - tokenRequestsBefore).isEqualTo(1);
		LoginAttempted failed = this.events.since(before).stream().filter(e -> !e.success()).toList().getLast();
		assertThat(failed.method()).isEqualTo("oidc:flaky");
		assertThat(failed.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE); // its trouble, not a refusal
		assertThat(failed.upstreamError()).isEqualTo("token HTTP 503");
	}

	@Test
	void anUpstreamThatIsDownEndsReadably() {
		TestBrowser browser = browser();
		HttpResponse<String> page = assertBackOnLoginPage(browser, browser.get("/login/oidc/down"), "down", "unreachable");
		assertThat(page.body()).contains("Broken SSO cannot be reached right now");
		assertThat(browser.get("/login?error=oidc.down.unreachable", "zh-CN").body()).contains("暂时无法连接Broken SSO");
	}

	@Test
	void anUpstreamThatDoesNotAnswerTimesOut() {
		TestBrowser browser = browser();
		long started = System.nanoTime();
		HttpResponse<String> response = browser.get("/login/oidc/silent");
		assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
		assertBackOnLoginPage(browser, response, "silent", "unreachable");
	}

	@Test
	void aSilentUpstreamIsRecordedAsATimeoutAndItsProbeFails() {
		this.breakers.find("oidc:silent").ifPresent(CircuitBreaker::reset);
		this.breakers.find("oidc:down").ifPresent(CircuitBreaker::reset);
		TestBrowser browser = browser();
		int before = this.events.size();
		assertBackOnLoginPage(browser, browser.get("/login/oidc/silent"), "silent", "unreachable");
		LoginAttempted failed = this.events.since(before).stream().filter(e -> !e.success()).toList().getLast();
		assertThat(failed.method()).isEqualTo("oidc:silent");
		assertThat(failed.cause()).isEqualTo(LoginFailureCause.UPSTREAM_UNAVAILABLE);
		assertThat(failed.upstreamError()).isEqualTo("discovery timeout");

		Map<String, AvailabilityProbes.ProbeResult> results = new LinkedHashMap<>();
		this.probes.runAll().forEach(result -> results.put(result.probe(), result));
		assertThat(results.get("oidc:up").ok()).isTrue();
		assertThat(results.get("oidc:silent").ok()).isFalse();
		assertThat(results.get("oidc:silent").detail()).startsWith("discovery timeout");
		assertThat(results.get("oidc:down").detail()).startsWith("discovery network");
	}

	@Test
	void theCircuitBreakerOfOneUpstreamStopsCallsToItAlone() throws Exception {
		browser().get("/login/oidc/down"); // makes sure its breaker exists
		CircuitBreaker down = this.breakers.find("oidc:down").orElseThrow();
		down.transitionToOpenState();
		try {
			TestBrowser browser = browser();
			int before = this.events.size();
			assertBackOnLoginPage(browser, browser.get("/login/oidc/down"), "down", "unreachable");
			assertThat(this.events.since(before).getLast().upstreamError()).as("not called at all")
				.isEqualTo("discovery circuit_open");
			assertThat(signInThroughUpstream(browser(), "up", "dave").getSubject()).isNotBlank();
		}
		finally {
			down.reset();
		}
	}

	@Test
	void aDiscoveryDocumentForAnotherIssuerIsNotUsed() {
		TestBrowser browser = browser();
		assertBackOnLoginPage(browser, browser.get("/login/oidc/slash"), "slash", "invalid");
	}

	@Test
	void unknownUpstreamsDoNotExist() {
		assertThat(browser().get("/login/oidc/nobody").statusCode()).isEqualTo(404);
		assertThat(browser().get("/login/oidc/nobody/callback?code=a&state=b").statusCode()).isEqualTo(404);
	}

	/** A login that did not work ends back on the login page, which says why in words (and never the provider's). */
	static HttpResponse<String> assertBackOnLoginPage(TestBrowser browser, HttpResponse<String> response,
			String upstreamId, String reason) {
		assertThat(response.statusCode()).as(response.body()).isEqualTo(302);
		assertThat(response.headers().firstValue("Location").orElseThrow())
			.endsWith("/login?error=oidc." + upstreamId + "." + reason);
		HttpResponse<String> page = browser.follow(response, null);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.body()).contains("role=\"alert\"", "data-testid=\"login-error\"", "data-provider=\"oidc:up\"")
			.doesNotContain("Exception", "<b>", "internal detail", "??");
		return page;
	}

	/** Begins an upstream login in {@code browser}; returns the authorization request sent to the upstream. */
	URI redirectToUpstream(TestBrowser browser, String upstreamId) {
		HttpResponse<String> begin = browser.get(issuer + "/login/oidc/" + upstreamId);
		assertThat(begin.statusCode()).as(begin.body()).isEqualTo(302);
		URI location = URI.create(begin.headers().firstValue("Location").orElseThrow());
		assertThat(location.toString()).startsWith(UPSTREAM + "/oauth2/authorize?");
		Map<String, String> query = TestBrowser.query(location);
		assertThat(query).containsEntry("code_challenge_method", "S256").containsKeys("state", "nonce", "code_challenge");
		return location;
	}

	/** Begins an upstream login and signs in upstream as {@code user}; returns the upstream's answer, unsent. */
	URI upstreamAnswer(TestBrowser browser, String upstreamId, String user) {
		String callbackPrefix = issuer + "/login/oidc/" + upstreamId + "/callback";
		HttpResponse<String> upstreamLogin = browser.follow(browser.get(redirectToUpstream(browser, upstreamId).toString()),
				callbackPrefix);
		if (upstreamLogin.uri().getPath().equals("/login")) {
			HttpResponse<String> devPage = browser.get(UPSTREAM + "/login/dev");
			upstreamLogin = browser.follow(browser.submit(devPage, UPSTREAM + "/login/dev", Map.of("username", user)),
					callbackPrefix);
		}
		HttpResponse<String> last = upstreamLogin;
		URI callback = last.uri()
			.resolve(last.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
					"expected the upstream to send the browser back, got HTTP " + last.statusCode() + " at " + last.uri())));
		assertThat(callback.toString()).startsWith(callbackPrefix);
		assertThat(TestBrowser.query(callback)).containsEntry("iss", UPSTREAM);
		return callback;
	}

	/** A client's whole authorization-code flow, signing in upstream; returns the downstream ID token's claims. */
	JWTClaimsSet signInThroughUpstream(TestBrowser browser, String upstreamId, String user) throws Exception {
		OAuthClient client = new OAuthClient(this.issuer);
		Pkce pkce = Pkce.create();
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CLIENT_CALLBACK, "openid profile", pkce);
		HttpResponse<String> loginPage = browser.follow(browser.get(client.authorizeUri(params).toString()), null);
		assertThat(loginPage.uri().getPath()).isEqualTo("/login");
		assertThat(loginPage.body()).contains("data-provider=\"oidc:" + upstreamId + "\"");
		URI callback = upstreamAnswer(browser, upstreamId, user);
		HttpResponse<String> toClient = browser.follow(browser.get(callback.toString()), CLIENT_CALLBACK);
		URI redirect = URI.create(toClient.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("HTTP " + toClient.statusCode() + " at " + toClient.uri() + ": " + toClient.body())));
		assertThat(redirect.toString()).startsWith(CLIENT_CALLBACK);
		Map<String, String> exchange = new LinkedHashMap<>();
		exchange.put("grant_type", "authorization_code");
		exchange.put("code", TestBrowser.query(redirect).get("code"));
		exchange.put("redirect_uri", CLIENT_CALLBACK);
		exchange.put("code_verifier", pkce.verifier());
		Reply tokens = client.post("/oauth2/token", "live-web", "s3cret", exchange);
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet();
	}

}
