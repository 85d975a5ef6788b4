package dev.tongxing.server.connector.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tongxing.server.login.FormConnectorContract;
import dev.tongxing.server.oidc.client.ClientDefinition;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.TestBrowser;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.bean.override.convention.TestBean;
import tools.jackson.databind.JsonNode;

/**
 * Passkeys pass the contract of every connector whose proof is checked on the gateway's own page, spoken over HTTP
 * by a {@link SoftwareAuthenticator} (the browser's side is {@link PasskeyBrowserTest}'s, in Chromium). Each person
 * is an account that signed in once with the test-user login and added a passkey on the account page. The gateway
 * runs on {@code localhost}: WebAuthn has no relying party on an IP address.
 */
class PasskeyFormContractTest extends FormConnectorContract {

	static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void onLocalhost(DynamicPropertyRegistry registry) {
		registry.add(PORT_PROPERTY, () -> PORT);
		registry.add(HOST_PROPERTY, () -> "localhost");
	}

	/** The demo client follows the issuer, and a client may not use plain http on localhost: moved to loopback. */
	@TestBean(name = "demoClient", methodName = "loopbackDemoClient")
	ClientDefinition demoClient;

	static ClientDefinition loopbackDemoClient() {
		return PasskeyBrowserTest.loopbackDemoClientOn(PORT);
	}

	/** Each person's authenticator, holding the passkey their account was given. */
	static final Map<String, SoftwareAuthenticator> authenticators = new ConcurrentHashMap<>();

	@Override
	protected String loginPath() {
		return "/login/passkey";
	}

	@Override
	protected String method() {
		return "passkey";
	}

	@Override
	protected List<String> people() {
		return List.of("ann", "ben");
	}

	/** The page's script asks for a challenge, and the person's authenticator signs it. */
	@Override
	protected Proof prove(TestBrowser browser, String person) {
		SoftwareAuthenticator authenticator = authenticatorOf(person);
		HttpResponse<String> options = browser.postJson("/login/passkey/options", "{}");
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		JsonNode started = SoftwareAuthenticator.read(options.body());
		Map<String, Object> credential = authenticator.get(started.get("publicKey"));
		return new Proof("/login/passkey/sign-in", null,
				SoftwareAuthenticator.json(Map.of("state", started.get("state").asString(), "credential", credential)),
				options);
	}

	/** The assertion with one bit of its signature flipped: well-formed, and not the key's. */
	@Override
	@SuppressWarnings("unchecked")
	protected Proof falsified(Proof genuine) {
		Map<String, Object> body = SoftwareAuthenticator.JSON_MAPPER.readValue(genuine.json(), Map.class);
		Map<String, Object> response = (Map<String, Object>) ((Map<String, Object>) body.get("credential")).get("response");
		byte[] signature = SoftwareAuthenticator.decode((String) response.get("signature"));
		signature[signature.length - 8] ^= 0x01;
		response.put("signature", SoftwareAuthenticator.encode(signature));
		return new Proof(genuine.action(), null, SoftwareAuthenticator.json(body), genuine.page());
	}

	@Override
	protected boolean boundToTheBrowser() {
		return true;
	}

	@Override
	protected Optional<URI> next(HttpResponse<String> answer) {
		if (answer.statusCode() != 200) {
			return Optional.empty();
		}
		JsonNode redirect = SoftwareAuthenticator.read(answer.body()).get("redirect");
		return redirect == null ? Optional.empty() : Optional.of(URI.create(this.issuer).resolve(redirect.asString()));
	}

	/** The authenticator is in the person's hand: there is no upstream to be down. */
	@Override
	protected boolean upstreamDown() {
		return false;
	}

	@Override
	protected void upstreamRestored() {
	}

	@Override
	protected HttpResponse<String> tryWhileDown(TestBrowser browser, String person) {
		throw new UnsupportedOperationException("passkeys have no upstream");
	}

	/**
	 * Beyond the contract: a flood of passkey ceremonies from one address (600 a minute by default, refilled
	 * continuously) is cut off with 429, in the person's language, while other addresses go on.
	 */
	@Test
	void ceremoniesFromOneAddressAreLimited() throws Exception {
		TestBrowser flood = new TestBrowser(this.issuer, InetAddress.getByName("127.0.0.7")).header("Accept-Language", "zh-CN");
		int attempts = 0;
		HttpResponse<String> answer;
		do {
			answer = flood.postJson(attempts % 2 == 0 ? "/login/passkey/options" : "/login/passkey/sign-in", "{}");
			attempts++;
		}
		while (answer.statusCode() != 429 && attempts < 800);
		assertThat(answer.statusCode()).as("attempts: " + attempts).isEqualTo(429);
		// the bucket refills by 10 a second while the loop runs
		assertThat(attempts).isBetween(601, 760);
		assertThat(answer.headers().firstValue("Retry-After")).hasValueSatisfying(
				seconds -> assertThat(Long.parseLong(seconds)).isBetween(1L, 60L));
		assertThat(SoftwareAuthenticator.read(answer.body()).get("error").asString()).contains("通行密钥登录次数过多");
		assertThat(flood.postJson("/login/passkey/options", "{}").statusCode()).isEqualTo(429);

		assertThat(browser().postJson("/login/passkey/options", "{}").statusCode()).isEqualTo(200);
	}

	private SoftwareAuthenticator authenticatorOf(String person) {
		return authenticators.computeIfAbsent(person, this::enrol);
	}

	/** A new account (the test-user login) adds a passkey on its account page, as a person does. */
	private SoftwareAuthenticator enrol(String person) {
		TestBrowser browser = browser();
		browser.authorize(new OAuthClient(this.issuer).authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK,
				"openid profile", OAuthClient.Pkce.create())), "pk-" + UUID.randomUUID().toString().substring(0, 8), CALLBACK);
		HttpResponse<String> page = browser.get("/account/passkeys");
		assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
		HttpResponse<String> options = browser.postJson(page, "/account/passkeys/options", "{}");
		assertThat(options.statusCode()).as(options.body()).isEqualTo(200);
		JsonNode started = SoftwareAuthenticator.read(options.body());
		SoftwareAuthenticator authenticator = new SoftwareAuthenticator(this.issuer);
		HttpResponse<String> added = browser.postJson(page, "/account/passkeys", SoftwareAuthenticator.json(Map.of(
				"state", started.get("state").asString(), "label", person + "'s laptop", "credential",
				authenticator.create(started.get("publicKey")))));
		assertThat(added.statusCode()).as(added.body()).isEqualTo(200);
		return authenticator;
	}

}
