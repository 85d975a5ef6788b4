package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.testing.GatewayTest;
import dev.tongxing.server.testing.LoginEvents;
import dev.tongxing.server.testing.OAuthClient;
import dev.tongxing.server.testing.OAuthClient.Pkce;
import dev.tongxing.server.testing.OAuthClient.Reply;
import dev.tongxing.server.testing.TestBrowser;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What every redirect connector must do in the browser, whatever its upstream (the browser side of
 * {@link NativeConnectorContract}): a subclass says where its login begins, how its upstream answers for a person,
 * and how to make that upstream refuse or fail; these tests prove the login through the broker's pages — a client
 * gets its code and the login is recorded with the browser's address, a refusal and an outage end on the login page
 * in words and are recorded with their cause, a callback is taken once, a tampered state or another browser's state
 * signs nobody in, and one person is one account.
 */
public abstract class RedirectConnectorContract extends GatewayTest {

	protected static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	protected LoginEvents events;

	protected OAuthClient oauth;

	/** The login page's button: {@code /login/<path>}. */
	protected abstract String loginPath();

	/** The login method the connector records ({@code Connector.id()}). */
	protected abstract String method();

	/** Two different people the upstream knows. */
	protected abstract List<String> people();

	/**
	 * The upstream's answer, as the browser is sent back with it: given where the broker sent the browser, the
	 * URL of the gateway's callback that the upstream redirects to for this person (not yet followed).
	 */
	protected abstract URI upstreamAnswers(TestBrowser browser, URI authorization, String person);

	/** From now on the upstream refuses (the person declined, or the upstream says the code is invalid). */
	protected abstract void upstreamRefuses();

	/** From now on the upstream is down (busy, or not answering). */
	protected abstract void upstreamDown();

	/** The upstream works again, as at the start. */
	protected abstract void upstreamRestored();

	@BeforeEach
	void contractClient() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@AfterEach
	void contractRestore() {
		upstreamRestored();
	}

	/** A client's authorization request, to the login page, then the connector's button: where it is sent. */
	protected URI begin(TestBrowser browser, Pkce pkce) {
		browser.follow(browser.get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce))
			.toString()), null);
		HttpResponse<String> sent = browser.get(loginPath());
		assertThat(sent.statusCode()).as(sent.body()).isEqualTo(302);
		return URI.create(sent.headers().firstValue("Location").orElseThrow());
	}

	/** Follows the callback through the gates (the phone invitation: "not now") to where the browser ends. */
	protected HttpResponse<String> returnWith(TestBrowser browser, URI callback) {
		HttpResponse<String> page = browser.follow(browser.get(callback.toString()), CALLBACK);
		if (page.statusCode() == 200 && page.body().contains("data-testid=\"phone-invitation\"")) {
			page = browser.follow(browser.get("/account/phone/skip"), CALLBACK);
		}
		return page;
	}

	private static URI clientRedirect(HttpResponse<String> page) {
		String location = page.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
				"no redirect to the client: HTTP " + page.statusCode() + " " + page.uri() + "\n" + page.body()));
		return page.uri().resolve(location);
	}

	private String subject(URI redirect, Pkce pkce) throws Exception {
		Reply tokens = this.oauth.post("/oauth2/token", "live-web", "s3cret",
				Map.of("grant_type", "authorization_code", "code", TestBrowser.query(redirect).get("code"), "redirect_uri",
						CALLBACK, "code_verifier", pkce.verifier()));
		assertThat(tokens.status()).as(tokens.body()).isEqualTo(200);
		return SignedJWT.parse(tokens.string("id_token")).getJWTClaimsSet().getSubject();
	}

	private String signIn(String person) throws Exception {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		URI authorization = begin(browser, pkce);
		URI redirect = clientRedirect(returnWith(browser, upstreamAnswers(browser, authorization, person)));
		assertThat(redirect.toString()).startsWith(CALLBACK + "?code=");
		return subject(redirect, pkce);
	}

	/** The login page, shown again with a failure's message (and nothing else went wrong). */
	private static void backOnTheLoginPage(HttpResponse<String> page) {
		assertThat(page.statusCode()).isEqualTo(200);
		assertThat(page.uri().getPath()).isEqualTo("/login");
		assertThat(page.uri().getQuery()).startsWith("error=");
		assertThat(page.body()).doesNotContain("Exception").contains("data-testid=\"login-error\"");
	}

	@Test
	void aPersonTheUpstreamVouchesForLandsInTheClientAndTheLoginIsRecorded() throws Exception {
		int before = this.events.size();
		String sub = signIn(people().get(0));
		assertThat(sub).isNotBlank();
		this.events.recordedSuccess(before, method());
	}

	@Test
	void aRefusalEndsOnTheLoginPageInWordsAndIsARecordedFailure() {
		TestBrowser browser = browser();
		URI authorization = begin(browser, Pkce.create());
		upstreamRefuses();
		int before = this.events.size();
		backOnTheLoginPage(returnWith(browser, upstreamAnswers(browser, authorization, people().get(0))));
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.success()).isFalse();
				assertThat(e.cause()).isNotNull();
				assertThat(e.clientIp()).isNotBlank();
			});
	}

	@Test
	void anUpstreamThatIsDownEndsOnTheLoginPageAndIsRecordedAsSuch() {
		TestBrowser browser = browser();
		URI authorization = begin(browser, Pkce.create());
		URI callback = upstreamAnswers(browser, authorization, people().get(0));
		upstreamDown();
		int before = this.events.size();
		backOnTheLoginPage(returnWith(browser, callback));
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> assertThat(e.cause()).isIn(LoginFailureCause.UPSTREAM_UNAVAILABLE, LoginFailureCause.NETWORK,
					LoginFailureCause.UPSTREAM_RATE_LIMITED));
	}

	@Test
	void aCallbackIsTakenOnce() throws Exception {
		TestBrowser browser = browser();
		Pkce pkce = Pkce.create();
		URI callback = upstreamAnswers(browser, begin(browser, pkce), people().get(0));
		assertThat(clientRedirect(returnWith(browser, callback)).toString()).startsWith(CALLBACK + "?code=");
		int before = this.events.size();
		backOnTheLoginPage(returnWith(browser, callback));
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> assertThat(e.cause()).isEqualTo(LoginFailureCause.STATE_INVALID));
	}

	@Test
	void aTamperedStateOrAnotherBrowsersStateSignsNobodyIn() {
		TestBrowser browser = browser();
		URI callback = upstreamAnswers(browser, begin(browser, Pkce.create()), people().get(0));
		String state = TestBrowser.query(callback).get("state");
		String tampered = state.substring(0, state.length() - 1) + (state.endsWith("x") ? "y" : "x");
		backOnTheLoginPage(returnWith(browser, URI.create(callback.toString().replace("state=" + state, "state=" + tampered))));
		// the victim's browser is shown the attacker's callback: refused, and the state is burnt for both
		TestBrowser victim = browser();
		backOnTheLoginPage(returnWith(victim, callback));
		backOnTheLoginPage(returnWith(browser, callback));
		assertThat(victim.get("/account").headers().firstValue("Location").orElse("")).contains("/login");
	}

	@Test
	void onePersonIsOneAccount() throws Exception {
		String first = signIn(people().get(0));
		String again = signIn(people().get(0));
		String other = signIn(people().get(1));
		assertThat(again).isEqualTo(first);
		assertThat(other).isNotEqualTo(first);
	}

}
