package dev.tongxing.server.connector.passkey;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.testing.Chromium;
import dev.tongxing.server.testing.FreePort;
import dev.tongxing.server.oidc.client.ClientDefinition;
import dev.tongxing.server.oidc.client.ClientTier;
import dev.tongxing.server.testing.GatewayTestBeans;
import dev.tongxing.server.testing.OAuthClient;
import java.net.URLDecoder;
import java.time.Duration;
import java.util.Base64;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.test.context.bean.override.convention.TestBean;
import dev.tongxing.server.testing.LoginEvents;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.virtualauthenticator.Credential;
import org.openqa.selenium.virtualauthenticator.HasVirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticator;
import org.openqa.selenium.virtualauthenticator.VirtualAuthenticatorOptions;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Passkeys in headless Chromium with a virtual authenticator (the DevTools WebAuthn domain, through Selenium):
 * the gateway runs on {@code localhost}, since browsers refuse WebAuthn for an IP address (so this is not a
 * {@code GatewayTest}, whose issuer is {@code 127.0.0.1}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT)
@ActiveProfiles({ "dev", "test" })
@Import(GatewayTestBeans.class)
class PasskeyBrowserTest {

	static final int PORT = FreePort.find();

	@DynamicPropertySource
	static void onLocalhost(DynamicPropertyRegistry registry) {
		registry.add("server.port", () -> PORT);
		registry.add("tongxing.issuer", () -> "http://localhost:" + PORT);
	}

	@Value("${tongxing.issuer}")
	String issuer;

	/** The demo client follows the issuer, and a client may not use plain http on localhost: moved to loopback. */
	@TestBean(name = "demoClient", methodName = "loopbackDemoClient")
	ClientDefinition demoClient;

	static ClientDefinition loopbackDemoClient() {
		return loopbackDemoClientOn(PORT);
	}

	/**
	 * The demo client of a gateway on {@code localhost} at {@code port}, its URIs on loopback (a client may not use
	 * plain http on localhost).
	 */
	static ClientDefinition loopbackDemoClientOn(int port) {
		return new ClientDefinition("demo", null, "Tongxing demo client",
				List.of("http://127.0.0.1:" + port + "/demo/callback"), List.of("http://127.0.0.1:" + port + "/demo/"),
				List.of("openid", "profile"), List.of("authorization_code", "refresh_token"), ClientTier.C, true, List.of());
	}

	/** A first-party test client (application-test.yml); its redirect URI answers nothing, the code is in the address. */
	static final String CLIENT = "live-web";

	static final String CALLBACK = "http://127.0.0.1:3000/callback";

	private static final Pattern SUB = Pattern.compile("\"sub\"\\s*:\\s*\"([^\"]+)\"");

	@Autowired
	LoginEvents events;

	@Autowired
	JdbcClient jdbc;

	@Test
	void aPasskeyAddedAfterAnotherLoginSignsInToTheSameAccount() {
		try (Chromium browser = Chromium.start("en")) {
			VirtualAuthenticator authenticator = authenticator(browser);
			String person = "pk-" + UUID.randomUUID().toString().substring(0, 8);

			String sub = demoSignInAsTestUser(browser, person);
			String accountId = addPasskey(browser, "My laptop");
			assertThat(browser.waitFor("[data-testid=passkey-notice]").getText())
				.isEqualTo("Your passkey is added. You can sign in with it from now on.");
			List<Credential> held = authenticator.getCredentials();
			assertThat(held).hasSize(1);
			// the user handle is the account's internal id, nothing else about the person
			assertThat(new String(held.get(0).getUserHandle(), StandardCharsets.UTF_8)).isEqualTo(accountId);
			assertThat(held.get(0).getRpId()).isEqualTo("localhost");
			// the account page lists it as a way in, by the name the person gave it
			browser.open(this.issuer + "/account");
			assertThat(browser.waitFor("[data-testid=account-methods]").getText()).contains("Passkey")
				.contains("My laptop");

			browser.open(this.issuer + "/account");
			browser.click("[data-action=logout]");
			browser.waitFor("[data-testid=login-methods]");

			int before = this.events.size();
			String again = signInToClient(browser, () -> browser.click("[data-provider=passkey]"));
			assertThat(again).isEqualTo(sub);
			assertThat(this.events.since(before)).anySatisfy(event -> {
				assertThat(event.method()).isEqualTo("passkey");
				assertThat(event.success()).isTrue();
			});
			assertThat(authenticator.getCredentials().get(0).getSignCount()).isPositive();
		}
	}

	@Test
	void theLoginPageOffersThePasskeyThroughAutofill() {
		try (Chromium browser = Chromium.start("zh-CN")) {
			withAutofill(browser);
			String sub = demoSignInAsTestUser(browser, "pk-" + UUID.randomUUID().toString().substring(0, 8));
			addPasskey(browser, "自动填充");
			assertThat(browser.waitFor("[data-testid=passkey-notice]").getText()).isEqualTo("通行密钥已添加，今后可用它登录。");
			browser.driver().manage().deleteAllCookies(); // signed out, without passing the login page

			int before = this.events.size();
			// the login page's passkey field asks with conditional mediation; nobody clicks the button
			String again = signInToClient(browser, () -> {
			});
			assertThat(again).isEqualTo(sub);
			assertThat(this.events.since(before)).anySatisfy(event -> {
				assertThat(event.method()).isEqualTo("passkey");
				assertThat(event.success()).isTrue();
			});
		}
	}

	@Test
	void aRemovedPasskeyNoLongerSignsIn() {
		try (Chromium browser = Chromium.start("en")) {
			VirtualAuthenticator authenticator = authenticator(browser);
			demoSignInAsTestUser(browser, "pk-" + UUID.randomUUID().toString().substring(0, 8));
			addPasskey(browser, "Old key");
			browser.click("[data-action=remove-passkey]");
			// the page before the removal shows a notice too: wait for the new page's, or the old one goes stale under us
			assertThat(browser.waitForText("[data-testid=passkey-notice]", "removed")).contains("removed");
			assertThat(browser.driver().findElements(By.cssSelector("[data-passkey]"))).isEmpty();
			assertThat(authenticator.getCredentials()).hasSize(1); // the device still has it

			browser.open(this.issuer + "/account");
			browser.click("[data-action=logout]");
			int before = this.events.size();
			browser.open(this.issuer + "/login");
			browser.click("[data-provider=passkey]");
			assertThat(browser.waitForText("[data-testid=passkey-error]", "not known"))
				.isEqualTo("This passkey is not known here (it may have been removed). Sign in another way, then add it again.");
			assertThat(this.events.since(before)).anySatisfy(event -> {
				assertThat(event.method()).isEqualTo("passkey");
				assertThat(event.success()).isFalse();
				assertThat(event.cause()).isEqualTo(LoginFailureCause.USER_INPUT);
				assertThat(event.upstreamError()).isEqualTo("webauthn unknown-credential");
			});
			assertThat(browser.url()).startsWith(this.issuer + "/login");
		}
	}

	/** A phishing page on another origin (same host, another port) gets the browser to sign its challenge. */
	@Test
	void anAssertionMadeOnAnotherOriginIsRefused() throws IOException {
		HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		other.createContext("/", exchange -> {
			byte[] page = "<!DOCTYPE html><html><body>other</body></html>".getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "text/html");
			exchange.sendResponseHeaders(200, page.length);
			exchange.getResponseBody().write(page);
			exchange.close();
		});
		other.start();
		try (Chromium browser = Chromium.start("en")) {
			authenticator(browser);
			demoSignInAsTestUser(browser, "pk-" + UUID.randomUUID().toString().substring(0, 8));
			addPasskey(browser, "Phished");
			browser.open(this.issuer + "/account");
			browser.click("[data-action=logout]");

			browser.open(this.issuer + "/login/passkey");
			JavascriptExecutor js = (JavascriptExecutor) browser.driver();
			@SuppressWarnings("unchecked")
			Map<String, Object> started = (Map<String, Object>) js.executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					fetch('/login/passkey/options', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})
						.then(r => r.json()).then(done, e => done({error: String(e)}));""");
			assertThat(started).containsKey("state");
			@SuppressWarnings("unchecked")
			String challenge = (String) ((Map<String, Object>) started.get("publicKey")).get("challenge");

			browser.open("http://localhost:" + other.getAddress().getPort() + "/");
			Object assertion = js.executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					const buf = t => Uint8Array.from(atob(t.replace(/-/g, '+').replace(/_/g, '/')), c => c.charCodeAt(0)).buffer;
					const txt = b => btoa(String.fromCharCode(...new Uint8Array(b))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
					navigator.credentials.get({publicKey: {challenge: buf(arguments[0]), rpId: 'localhost', userVerification: 'required'}})
						.then(c => done(JSON.stringify({id: c.id, rawId: txt(c.rawId), type: c.type, clientExtensionResults: {},
							response: {authenticatorData: txt(c.response.authenticatorData), clientDataJSON: txt(c.response.clientDataJSON),
								signature: txt(c.response.signature), userHandle: txt(c.response.userHandle)}})),
							e => done('error: ' + e));""", challenge);
			assertThat((String) assertion).startsWith("{");

			browser.open(this.issuer + "/login/passkey");
			int before = this.events.size();
			@SuppressWarnings("unchecked")
			Map<String, Object> answer = (Map<String, Object>) js.executeAsyncScript("""
					const done = arguments[arguments.length - 1];
					fetch('/login/passkey/sign-in', {method: 'POST', headers: {'Content-Type': 'application/json'},
						body: JSON.stringify({state: arguments[0], credential: JSON.parse(arguments[1])})})
						.then(r => r.json().then(j => done({status: r.status, body: j})), e => done({error: String(e)}));""",
					started.get("state"), assertion);
			assertThat(answer.get("status")).isEqualTo(400L);
			assertThat(this.events.since(before)).anySatisfy(event -> {
				assertThat(event.method()).isEqualTo("passkey");
				assertThat(event.success()).isFalse();
				assertThat(event.cause()).isEqualTo(LoginFailureCause.RISK_CONTROL);
				assertThat(event.upstreamError()).isEqualTo("webauthn bad-origin");
			});
			// and nobody was signed in
			browser.open(this.issuer + "/account");
			assertThat(browser.url()).startsWith(this.issuer + "/login");
		}
		finally {
			other.stop(0);
		}
	}

	@Test
	void theLastWayInCannotBeRemoved() {
		try (Chromium browser = Chromium.start("en")) {
			authenticator(browser);
			demoSignInAsTestUser(browser, "pk-" + UUID.randomUUID().toString().substring(0, 8));
			addPasskey(browser, "Only key");
			String passkeyId = browser.waitFor("[data-passkey]").getAttribute("data-passkey");

			// the test user's own way in may go: the passkey is left
			browser.open(this.issuer + "/account");
			browser.click("[data-method='account.method.dev'] [data-action=unlink]");
			assertThat(browser.waitFor("[data-testid=account-notice]").getText()).isNotBlank();
			assertThat(browser.driver().findElements(By.cssSelector("[data-action=unlink]"))).isEmpty();
			assertThat(browser.waitFor("[data-testid=account-methods]").getText()).contains("Only key");

			// now the passkey is the last way in: not offered, and refused when asked for all the same
			browser.open(this.issuer + "/account/passkeys");
			browser.waitFor("[data-passkey]");
			assertThat(browser.driver().findElements(By.cssSelector("[data-action=remove-passkey]"))).isEmpty();
			JavascriptExecutor js = (JavascriptExecutor) browser.driver();
			js.executeScript("""
					const form = document.createElement('form');
					form.method = 'post';
					form.action = '/account/passkeys/' + arguments[0] + '/remove';
					form.appendChild(document.querySelector('input[name=_csrf]').cloneNode());
					document.body.appendChild(form);
					form.submit();""", passkeyId);
			assertThat(browser.waitFor("[data-testid=passkey-notice]").getText()).contains("last way to sign in");
			assertThat(this.jdbc.sql("SELECT COUNT(*) FROM passkey_credential WHERE id = :id")
				.param("id", passkeyId)
				.query(Long.class)
				.single()).isEqualTo(1L);
		}
	}

	/**
	 * A virtual authenticator that holds passkeys and verifies the person. The virtual authenticator answers
	 * autofill (conditional) requests at once, so the pages are told autofill is unavailable: each test then
	 * decides which way it signs in (the button), except the one about autofill.
	 */
	private static VirtualAuthenticator authenticator(Chromium browser) {
		((org.openqa.selenium.chromium.ChromiumDriver) browser.driver()).executeCdpCommand(
				"Page.addScriptToEvaluateOnNewDocument", Map.of("source",
						"if (window.PublicKeyCredential) { PublicKeyCredential.isConditionalMediationAvailable = () => Promise.resolve(false); }"));
		return withAutofill(browser);
	}

	private static VirtualAuthenticator withAutofill(Chromium browser) {
		return ((HasVirtualAuthenticator) browser.driver()).addVirtualAuthenticator(new VirtualAuthenticatorOptions()
			.setProtocol(VirtualAuthenticatorOptions.Protocol.CTAP2)
			.setTransport(VirtualAuthenticatorOptions.Transport.INTERNAL)
			.setHasResidentKey(true)
			.setHasUserVerification(true)
			.setIsUserVerified(true)
			.setIsUserConsenting(true));
	}

	/** Signs in to a client as a new test user; returns the client's {@code sub}. */
	private String demoSignInAsTestUser(Chromium browser, String name) {
		return signInToClient(browser, () -> {
			browser.click("[data-provider=dev]");
			browser.waitFor("[data-testid=dev-login] input[name=username]").sendKeys(name);
			browser.click("[data-testid=dev-login] [data-action=sign-in]");
		});
	}

	/**
	 * Starts an authorization request of the client, lets {@code chooseMethod} sign in on the login page, and
	 * exchanges the code the browser is sent back with: the ID token's {@code sub}.
	 */
	private String signInToClient(Chromium browser, Runnable chooseMethod) {
		OAuthClient client = new OAuthClient(this.issuer);
		OAuthClient.Pkce pkce = OAuthClient.Pkce.create();
		browser.open(client.authorizeUri(OAuthClient.authorizeParams(CLIENT, CALLBACK, "openid profile", pkce)).toString());
		// with autofill the virtual authenticator may answer, and the browser leave, before the page is seen
		new WebDriverWait(browser.driver(), Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(CALLBACK)
				|| !d.findElements(org.openqa.selenium.By.cssSelector("[data-testid=login-methods]")).isEmpty());
		if (!browser.url().startsWith(CALLBACK)) {
			chooseMethod.run();
		}
		new WebDriverWait(browser.driver(), Duration.ofSeconds(15)).until(d -> d.getCurrentUrl().startsWith(CALLBACK));
		Matcher code = Pattern.compile("[?&]code=([^&]+)").matcher(browser.url());
		assertThat(code.find()).as("code in " + browser.url()).isTrue();
		OAuthClient.Reply tokens = client.post("/oauth2/token", CLIENT, "s3cret",
				Map.of("grant_type", "authorization_code", "code", URLDecoder.decode(code.group(1), StandardCharsets.UTF_8),
						"redirect_uri", CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		String payload = tokens.string("id_token").split("\\.")[1];
		Matcher sub = SUB.matcher(new String(Base64.getUrlDecoder().decode(payload), StandardCharsets.UTF_8));
		assertThat(sub.find()).isTrue();
		return sub.group(1);
	}

	/** Adds a passkey from the account page; returns the account id. */
	private String addPasskey(Chromium browser, String label) {
		browser.open(this.issuer + "/account");
		String accountId = browser.waitFor("[data-testid=account-id]").getText();
		browser.click("[data-action=add-passkey]");
		browser.waitFor("[data-passkey-add] input[name=label]").sendKeys(label);
		browser.click("[data-action=create-passkey]");
		assertThat(browser.waitFor("[data-testid=passkey-notice]").getText()).isNotBlank();
		assertThat(browser.waitFor("[data-testid=passkey-label]").getText()).isEqualTo(label);
		return accountId;
	}

}
