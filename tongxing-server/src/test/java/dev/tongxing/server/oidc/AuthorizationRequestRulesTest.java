package dev.tongxing.server.oidc;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.MutableClock;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The authorization request's edge cases (OpenID Connect Core §3.1.2, RFC 7636, RFC 8252, OAuth 2.0 Form Post
 * Response Mode): each honoured, or refused with its defined error — sent back to the client once the redirect
 * URI is known to be registered, shown to the person otherwise.
 */
class AuthorizationRequestRulesTest extends GatewayTest {

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	static final Pattern HIDDEN = Pattern.compile("<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">");

	@Autowired
	MutableClock clock;

	OAuthClient oauth;

	TestBrowser browser;

	@BeforeEach
	void setUp() {
		this.oauth = new OAuthClient(this.issuer);
		this.browser = browser();
	}

	@AfterEach
	void resetClock() {
		this.clock.reset();
	}

	Map<String, String> params(Pkce pkce) {
		Map<String, String> params = OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce);
		params.put("nonce", "n-" + System.nanoTime());
		return params;
	}

	/** Signs the browser in (as alice) through a first authorization request and returns its ID token's claims. */
	Map<String, Object> signIn() throws Exception {
		Pkce pkce = Pkce.create();
		URI redirect = this.browser.authorize(this.oauth.authorizeUri(params(pkce)), "alice", CALLBACK);
		return idToken(TestBrowser.query(redirect).get("code"), pkce);
	}

	Map<String, Object> idToken(String code, Pkce pkce) throws Exception {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "authorization_code");
		form.put("code", code);
		form.put("redirect_uri", CALLBACK);
		form.put("code_verifier", pkce.verifier());
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret", form);
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getClaims();
	}

	/** The browser's answer to an authorization request, redirects followed until one leaves for the client. */
	HttpResponse<String> send(Map<String, String> params) {
		return this.browser.follow(this.browser.get(this.oauth.authorizeUri(params).toString()), CALLBACK);
	}

	Map<String, String> errorAtClient(Map<String, String> params) {
		HttpResponse<String> response = send(params);
		String location = response.headers().firstValue("Location").orElseThrow(
				() -> new AssertionError("no redirect: HTTP " + response.statusCode() + " at " + response.uri()));
		assertThat(location).startsWith(CALLBACK);
		Map<String, String> query = TestBrowser.query(URI.create(location));
		assertThat(query).containsKey("error").doesNotContainKey("code");
		assertThat(query.get("state")).isEqualTo(params.get("state"));
		assertThat(query.get("iss")).isEqualTo(this.issuer);
		return query;
	}

	static Instant authTime(Map<String, Object> claims) {
		assertThat(claims).containsKey("auth_time");
		Object value = claims.get("auth_time");
		return value instanceof java.util.Date date ? date.toInstant() : Instant.ofEpochSecond(((Number) value).longValue());
	}

	// PKCE

	@Test
	void aChallengeThatIsNotAnS256ValueIsRefused() throws Exception {
		signIn();
		for (String challenge : new String[] { "abc", "x".repeat(42), "x".repeat(44), "+".repeat(43) }) {
			Map<String, String> params = params(Pkce.create());
			params.put("code_challenge", challenge);
			Map<String, String> error = errorAtClient(params);
			assertThat(error.get("error")).as(challenge).isEqualTo("invalid_request");
			assertThat(error.get("error_description")).contains("code_challenge");
		}
	}

	// loopback redirect URIs (RFC 8252 §7.3)

	@Test
	void aConfidentialClientsLoopbackRedirectMustMatchExactlyPortIncluded() throws Exception {
		signIn();
		Map<String, String> params = params(Pkce.create());
		params.put("redirect_uri", "http://127.0.0.1:3001/callback");
		HttpResponse<String> page = this.browser.get(this.oauth.authorizeUri(params).toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Location")).isEmpty();
		assertThat(page.body()).contains("data-testid=\"oauth-error\"").contains("invalid_request");
	}

	@Test
	void aConfidentialClientsLoopbackRedirectRegisteredWithoutAPortTakesNoOtherPort() throws Exception {
		signIn();
		Map<String, String> params = params(Pkce.create());
		params.put("redirect_uri", "http://127.0.0.1:3001/portless-callback");
		HttpResponse<String> page = this.browser.get(this.oauth.authorizeUri(params).toString());
		assertThat(page.statusCode()).isEqualTo(400);
		assertThat(page.headers().firstValue("Location")).isEmpty();
		assertThat(page.body()).contains("data-testid=\"oauth-error\"").contains("invalid_request");
	}

	@Test
	void aPublicClientsLoopbackRedirectMayUseAnyPort() throws Exception {
		signIn();
		String registered = this.issuer + "/demo/callback";
		String otherPort = "http://127.0.0.1:" + (URI.create(this.issuer).getPort() == 4321 ? 4322 : 4321) + "/demo/callback";
		for (String redirect : new String[] { registered, otherPort }) {
			Map<String, String> params = OAuthClient.authorizeParams("demo", redirect, "openid", Pkce.create());
			URI back = this.browser.authorize(this.oauth.authorizeUri(params), "alice", redirect);
			assertThat(back.toString()).startsWith(redirect);
			assertThat(TestBrowser.query(back)).containsKey("code");
		}
	}

	// prompt and max_age (OpenID Connect Core §3.1.2.1)

	@Test
	void promptLoginSignsThePersonInAgainAndAuthTimeSaysWhen() throws Exception {
		Instant first = authTime(signIn());
		this.clock.advance(Duration.ofSeconds(5));
		Pkce pkce = Pkce.create();
		Map<String, String> params = params(pkce);
		params.put("prompt", "login");
		HttpResponse<String> response = send(params);
		assertThat(response.uri().getPath()).as("sent to sign in again").isEqualTo("/login");
		URI back = this.browser.authorize(this.oauth.authorizeUri(params), "alice", CALLBACK);
		Instant second = authTime(idToken(TestBrowser.query(back).get("code"), pkce));
		assertThat(second).isAfter(first.plusSeconds(4));
	}

	@Test
	void maxAgeSignsThePersonInAgainOnlyWhenTheSignInIsOlder() throws Exception {
		Instant first = authTime(signIn());
		this.clock.advance(Duration.ofSeconds(30));
		// recent enough: no new sign-in
		Pkce recent = Pkce.create();
		Map<String, String> params = params(recent);
		params.put("max_age", "3600");
		HttpResponse<String> response = send(params);
		assertThat(response.headers().firstValue("Location").orElseThrow()).startsWith(CALLBACK);
		Map<String, Object> claims = idToken(TestBrowser.query(URI.create(response.headers().firstValue("Location").get()))
			.get("code"), recent);
		assertThat(authTime(claims)).isEqualTo(first);
		// too old: signed in again (max_age=0 is prompt=login)
		for (String maxAge : new String[] { "10", "0" }) {
			Pkce pkce = Pkce.create();
			Map<String, String> again = params(pkce);
			again.put("max_age", maxAge);
			assertThat(send(again).uri().getPath()).as("max_age=%s", maxAge).isEqualTo("/login");
			URI back = this.browser.authorize(this.oauth.authorizeUri(again), "alice", CALLBACK);
			assertThat(authTime(idToken(TestBrowser.query(back).get("code"), pkce))).isAfter(first);
			this.clock.advance(Duration.ofSeconds(30));
		}
	}

	@Test
	void promptNoneWithAStaleSignInIsLoginRequired() throws Exception {
		signIn();
		this.clock.advance(Duration.ofSeconds(30));
		Map<String, String> params = params(Pkce.create());
		params.put("prompt", "none");
		params.put("max_age", "5");
		assertThat(errorAtClient(params).get("error")).isEqualTo("login_required");
	}

	@Test
	void promptNoneWithoutASessionIsLoginRequired() {
		Map<String, String> params = params(Pkce.create());
		params.put("prompt", "none");
		assertThat(errorAtClient(params).get("error")).isEqualTo("login_required");
	}

	@Test
	void malformedPromptAndMaxAgeAreInvalidRequest() throws Exception {
		signIn();
		for (Map.Entry<String, String> bad : List.of(Map.entry("prompt", "select_account"), Map.entry("prompt", "garbage"),
				Map.entry("prompt", "none login"), Map.entry("max_age", "-1"), Map.entry("max_age", "soon"),
				Map.entry("claims", "{not json"))) {
			Map<String, String> params = params(Pkce.create());
			params.put(bad.getKey(), bad.getValue());
			assertThat(errorAtClient(params).get("error")).as(bad.toString()).isEqualTo("invalid_request");
		}
	}

	@Test
	void aWellFormedClaimsParameterIsAcceptedAndAuthTimeIsInTheIdToken() throws Exception {
		signIn();
		Pkce pkce = Pkce.create();
		Map<String, String> params = params(pkce);
		params.put("claims", "{\"id_token\":{\"auth_time\":{\"essential\":true}}}");
		URI back = this.browser.authorize(this.oauth.authorizeUri(params), "alice", CALLBACK);
		authTime(idToken(TestBrowser.query(back).get("code"), pkce));
	}

	// response_mode

	@Test
	void unsupportedResponseModesAreRefusedInTheQuery() throws Exception {
		signIn();
		for (String mode : new String[] { "fragment", "query.jwt", "form_post.jwt", "garbage" }) {
			Map<String, String> params = params(Pkce.create());
			params.put("response_mode", mode);
			Map<String, String> error = errorAtClient(params);
			assertThat(error.get("error")).as(mode).isEqualTo("invalid_request");
			assertThat(error.get("error_description")).contains("response_mode");
		}
	}

	@Test
	void formPostAnswersWithASelfSubmittingForm() throws Exception {
		signIn();
		Pkce pkce = Pkce.create();
		Map<String, String> params = params(pkce);
		params.put("response_mode", "form_post");
		HttpResponse<String> page = send(params);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Location")).isEmpty();
		assertThat(page.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(page.body()).contains("<form method=\"post\" data-testid=\"form-post\" action=\"" + CALLBACK + "\"")
			.contains("<script src=\"/js/form-post.js\"></script>");
		Map<String, String> fields = hiddenFields(page.body());
		assertThat(fields).containsEntry("state", params.get("state")).containsEntry("iss", this.issuer)
			.containsKey("code");
		assertThat(idToken(fields.get("code"), pkce)).containsEntry("nonce", params.get("nonce"));

		// errors go the same way
		Map<String, String> refused = params(Pkce.create());
		refused.put("response_mode", "form_post");
		refused.put("prompt", "garbage");
		HttpResponse<String> errorPage = send(refused);
		assertThat(errorPage.statusCode()).isEqualTo(200);
		assertThat(hiddenFields(errorPage.body())).containsEntry("error", "invalid_request")
			.containsEntry("state", refused.get("state"))
			.doesNotContainKey("code");
	}

	static Map<String, String> hiddenFields(String html) {
		Map<String, String> fields = new LinkedHashMap<>();
		Matcher m = HIDDEN.matcher(html);
		while (m.find()) {
			fields.put(m.group(1), org.springframework.web.util.HtmlUtils.htmlUnescape(m.group(2)));
		}
		return fields;
	}

	// request objects

	@Test
	void requestObjectsAreNotSupported() throws Exception {
		signIn();
		Map<String, String> byValue = params(Pkce.create());
		byValue.put("request", "eyJhbGciOiJub25lIn0.eyJzY29wZSI6Im9wZW5pZCJ9.");
		assertThat(errorAtClient(byValue).get("error")).isEqualTo("request_not_supported");
		Map<String, String> byReference = params(Pkce.create());
		byReference.put("request_uri", "https://client.example.com/request.jwt");
		assertThat(errorAtClient(byReference).get("error")).isEqualTo("request_uri_not_supported");
	}

	@Test
	void ourOwnPushedRequestUriStillWorks() throws Exception {
		signIn();
		Pkce pkce = Pkce.create();
		Map<String, String> pushed = params(pkce);
		pushed.put("response_mode", "form_post");
		Reply par = this.oauth.post("/oauth2/par", "live-web", "s3cret", pushed);
		assertThat(par.status()).as(par.body()).isEqualTo(201);
		Map<String, String> params = new LinkedHashMap<>();
		params.put("client_id", "live-web");
		params.put("request_uri", par.string("request_uri"));
		HttpResponse<String> page = send(params);
		assertThat(page.statusCode()).isEqualTo(200);
		Map<String, String> fields = hiddenFields(page.body());
		assertThat(idToken(fields.get("code"), pkce)).containsEntry("nonce", pushed.get("nonce"));
	}

	@Test
	void aRefusedRequestObjectThatAsksForFormPostGetsItsErrorPosted() throws Exception {
		signIn();
		Map<String, String> params = params(Pkce.create());
		params.remove("state");
		String claims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
				"{\"response_mode\":\"form_post\",\"state\":\"in-the-object\",\"scope\":\"openid\"}".getBytes(
						java.nio.charset.StandardCharsets.UTF_8));
		params.put("request", "eyJhbGciOiJub25lIn0." + claims + ".");
		HttpResponse<String> page = send(params);
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.headers().firstValue("Location")).isEmpty();
		assertThat(hiddenFields(page.body())).containsEntry("error", "request_not_supported")
			.containsEntry("state", "in-the-object")
			.containsEntry("iss", this.issuer);
	}

	// discovery says exactly what is supported

	@Test
	@SuppressWarnings("unchecked")
	void discoveryAdvertisesWhatIsHonoured() {
		Reply discovery = this.oauth.get("/.well-known/openid-configuration", null);
		assertThat(discovery.json().get("response_modes_supported")).isEqualTo(List.of("query", "form_post"));
		assertThat(discovery.json().get("prompt_values_supported")).isEqualTo(List.of("consent", "login", "none"));
		assertThat(discovery.json()).containsEntry("request_parameter_supported", false)
			.containsEntry("request_uri_parameter_supported", false)
			.containsEntry("claims_parameter_supported", false);
		assertThat((List<Object>) discovery.json().get("scopes_supported")).contains((Object) "openid", "profile", "phone",
				"offline_access", "internal.read");
	}

	// the token endpoint

	@Test
	void aClientAuthenticatingTwoWaysAtOnceIsRefused() {
		Reply reply = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "client_credentials", "client_id", "live-web", "client_secret", "s3cret"));
		assertThat(reply.status()).isEqualTo(400);
		assertThat(reply.error()).isEqualTo("invalid_request");
		Reply introspect = this.oauth.post("/oauth2/introspect", "live-web", "s3cret",
				Map.of("token", "x", "client_secret", "s3cret"));
		assertThat(introspect.error()).isEqualTo("invalid_request");
	}

	@Test
	void clientCredentialsRefusesScopesForPeople() {
		for (String scope : new String[] { "openid", "profile", "offline_access", "openid phone" }) {
			Reply reply = this.oauth.post("/oauth2/token", "live-web", "s3cret",
					Map.of("grant_type", "client_credentials", "scope", scope));
			assertThat(reply.status()).as(scope).isEqualTo(400);
			assertThat(reply.error()).as(scope).isEqualTo("invalid_scope");
		}
		Reply own = this.oauth.post("/oauth2/token", "backend", "backend-secret",
				Map.of("grant_type", "client_credentials", "scope", "internal.read"));
		assertThat(own.status()).isEqualTo(200);
		Reply none = this.oauth.post("/oauth2/token", "live-web", "s3cret", Map.of("grant_type", "client_credentials"));
		assertThat(none.status()).isEqualTo(200);
	}

}
