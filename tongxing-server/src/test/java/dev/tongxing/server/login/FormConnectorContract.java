package dev.tongxing.server.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.server.login.spi.Connector;
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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * What every connector whose proof is checked on the gateway's own page must do (phone and SMS code, passkeys;
 * the third kind beside {@link RedirectConnectorContract} and {@link NativeConnectorContract}): the connector owns
 * its page and the check of its proof, and hands the person it proves to {@link LoginCompletion}, which owns the
 * rest. A subclass says how its page is walked up to the proof, and how that proof is made wrong; these tests prove
 * that a client gets its code and the login is recorded with the browser's address, a wrong proof and a proof sent
 * twice sign nobody in and are recorded with their cause, a proof sent by another site or from another browser
 * signs that browser in as nobody, an upstream that is down ends in words and is recorded as such, and one person is
 * one account.
 */
public abstract class FormConnectorContract extends GatewayTest {

	protected static final String CALLBACK = "http://127.0.0.1:3000/callback";

	@Autowired
	protected LoginEvents events;

	@Autowired
	Connectors connectors;

	protected OAuthClient oauth;

	/**
	 * What the browser sends to prove who it is, made ready on the connector's page but not yet sent.
	 * @param action where it is posted
	 * @param form a form's fields (the page's CSRF token is added when sent), or null
	 * @param json a script's JSON body, or null
	 * @param page the page it is sent from
	 */
	public record Proof(String action, Map<String, String> form, String json, HttpResponse<String> page) {
	}

	/** The login page's button: where the connector's page is. */
	protected abstract String loginPath();

	/** The login method the connector records ({@code Connector.id()}). */
	protected abstract String method();

	/** Two different people who can prove themselves this way. */
	protected abstract List<String> people();

	/** In this browser, on the connector's page, everything before the proof is sent (a code asked for, a challenge). */
	protected abstract Proof prove(TestBrowser browser, String person);

	/** The same proof, made wrong as a guess or a forgery would be (another code, a signature that does not hold). */
	protected abstract Proof falsified(Proof genuine);

	/**
	 * The same proof as it would be entered in another browser: on that browser's own page for a form (with whatever
	 * else the page asks, but the CSRF token, which {@link #send} adds), as it is for a script's JSON.
	 */
	protected Proof enteredIn(TestBrowser browser, Proof proof) {
		return proof;
	}

	/**
	 * Whether a proof holds only in the browser that began it (a passkey's challenge), or in any browser on the
	 * connector's page (an SMS code proves the number, wherever it is typed).
	 */
	protected abstract boolean boundToTheBrowser();

	/** Where the browser is sent on after a proof that held, or empty when the answer refused it. */
	protected abstract Optional<URI> next(HttpResponse<String> answer);

	/**
	 * From now on the connector's upstream is down (the SMS provider answers 503, say).
	 * @return false when the connector has no upstream at all
	 */
	protected abstract boolean upstreamDown();

	/** The upstream works again, as at the start. */
	protected abstract void upstreamRestored();

	/** While the upstream is down: the person tries, and this is the page they end on. */
	protected abstract HttpResponse<String> tryWhileDown(TestBrowser browser, String person);

	@BeforeEach
	void contractClient() {
		this.oauth = new OAuthClient(this.issuer);
	}

	@AfterEach
	void contractRestore() {
		upstreamRestored();
	}

	/** A client's authorization request, to the login page, which offers the connector's button. */
	protected void begin(TestBrowser browser, Pkce pkce) {
		HttpResponse<String> login = browser.follow(browser.get(this.oauth
			.authorizeUri(OAuthClient.authorizeParams("live-web", CALLBACK, "openid profile", pkce))
			.toString()), CALLBACK);
		assertThat(login.uri().getPath()).isEqualTo("/login");
		assertThat(login.body()).contains("href=\"" + loginPath() + "\"");
	}

	/** Sends a proof as its page would: the form with the page's CSRF token, or the script's JSON. */
	protected HttpResponse<String> send(TestBrowser browser, Proof proof) {
		return proof.json() != null ? browser.postJson(proof.action(), proof.json())
				: browser.submit(proof.page(), proof.action(), proof.form());
	}

	/** Sends a proof as another site would make this browser send it: no CSRF token, since no page of ours was read. */
	private static HttpResponse<String> sendFromAnotherSite(TestBrowser browser, Proof proof) {
		return proof.json() != null ? browser.postJson(proof.action(), proof.json())
				: browser.post(proof.action(), proof.form());
	}

	/** Follows a proven sign-in through the gates (the phone invitation: "not now") to the client's redirect. */
	private static URI toClient(TestBrowser browser, URI next) {
		HttpResponse<String> page = browser.follow(browser.get(next.toString()), CALLBACK);
		if (page.statusCode() == 200 && page.body().contains("data-testid=\"phone-invitation\"")) {
			page = browser.follow(browser.get("/account/phone/skip"), CALLBACK);
		}
		HttpResponse<String> last = page;
		String location = last.headers().firstValue("Location").orElseThrow(() -> new AssertionError(
				"no redirect to the client: HTTP " + last.statusCode() + " " + last.uri() + "\n" + last.body()));
		return last.uri().resolve(location);
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
		begin(browser, pkce);
		HttpResponse<String> answer = send(browser, prove(browser, person));
		URI next = next(answer).orElseThrow(() -> new AssertionError("refused: HTTP " + answer.statusCode() + "\n"
				+ answer.body()));
		URI redirect = toClient(browser, next);
		assertThat(redirect.toString()).startsWith(CALLBACK + "?code=");
		return subject(redirect, pkce);
	}

	/** Refused in words (a page or a script's message, never a stack trace), and nobody is signed in. */
	private void refused(TestBrowser browser, HttpResponse<String> answer) {
		assertThat(next(answer)).as("a refused proof sends nobody on: %s", answer.body()).isEmpty();
		assertThat(answer.statusCode()).isLessThan(500);
		assertThat(answer.body()).doesNotContain("Exception");
		assertThat(browser.get("/account").headers().firstValue("Location").orElse("")).contains("/login");
	}

	private void recordedFailure(int before, LoginFailureCause... causes) {
		assertThat(this.events.since(before)).filteredOn(e -> e.method().equals(method()))
			.singleElement()
			.satisfies(e -> {
				assertThat(e.success()).isFalse();
				assertThat(e.cause()).isNotNull();
				if (causes.length > 0) {
					assertThat(e.cause()).isIn((Object[]) causes);
				}
				assertThat(e.clientIp()).isNotBlank();
			});
	}

	@Test
	void aPersonWhoProvesThemselvesLandsInTheClientAndTheLoginIsRecorded() throws Exception {
		int before = this.events.size();
		String sub = signIn(people().get(0));
		assertThat(sub).isNotBlank();
		this.events.recordedSuccess(before, method());
	}

	@Test
	void aWrongProofSignsNobodyInAndIsARecordedFailure() {
		TestBrowser browser = browser();
		begin(browser, Pkce.create());
		Proof wrong = falsified(prove(browser, people().get(0)));
		int before = this.events.size();
		refused(browser, send(browser, wrong));
		recordedFailure(before);
	}

	@Test
	void aProofIsTakenOnce() {
		TestBrowser browser = browser();
		begin(browser, Pkce.create());
		Proof proof = prove(browser, people().get(0));
		assertThat(next(send(browser, proof))).isPresent();
		int before = this.events.size();
		if (boundToTheBrowser()) {
			// sent again by the browser it belongs to, now signed in: it leads nowhere
			HttpResponse<String> replayed = send(browser, proof);
			assertThat(next(replayed)).isEmpty();
			assertThat(replayed.statusCode()).isLessThan(500);
			assertThat(replayed.body()).doesNotContain("Exception");
		}
		else {
			TestBrowser again = browser();
			begin(again, Pkce.create());
			refused(again, send(again, enteredIn(again, proof)));
		}
		recordedFailure(before);
	}

	@Test
	void aProofSentByAnotherSiteOrFromAnotherBrowserSignsThatBrowserInAsNobody() {
		TestBrowser browser = browser();
		begin(browser, Pkce.create());
		Proof proof = prove(browser, people().get(0));
		// another site makes a victim's browser post the proof (its own, say): no page of ours was read there, so no
		// CSRF token goes with a form, and a script's proof is bound to the browser that asked for its challenge
		TestBrowser victim = browser();
		begin(victim, Pkce.create());
		refused(victim, sendFromAnotherSite(victim, enteredIn(victim, proof)));
		if (!boundToTheBrowser()) {
			// a form's proof, posted by another site through the very browser it belongs to, is refused for want of
			// the token — and the refusal costs the person nothing: their own page still signs them in
			HttpResponse<String> crossSite = sendFromAnotherSite(browser, proof);
			assertThat(crossSite.statusCode()).isEqualTo(403);
			assertThat(crossSite.body()).doesNotContain("Exception");
			assertThat(next(send(browser, proof))).isPresent();
		}
	}

	@Test
	void anUpstreamThatIsDownEndsInWordsAndIsRecordedAsSuch() {
		Connector connector = this.connectors.find(method()).orElseThrow();
		if (!upstreamDown()) {
			assertThat(connector.probes()).as("a connector with no upstream has nothing to probe").isEmpty();
			return;
		}
		assertThat(connector.probes()).as("an upstream that can be down is probed").isNotEmpty();
		TestBrowser browser = browser();
		begin(browser, Pkce.create());
		int before = this.events.size();
		HttpResponse<String> page = tryWhileDown(browser, people().get(0));
		assertThat(page.statusCode()).isLessThan(500);
		assertThat(page.body()).doesNotContain("Exception").contains("role=\"alert\"");
		recordedFailure(before, LoginFailureCause.UPSTREAM_UNAVAILABLE, LoginFailureCause.NETWORK,
				LoginFailureCause.UPSTREAM_RATE_LIMITED);
	}

	@Test
	void onePersonIsOneAccount() throws Exception {
		String first = signIn(people().get(0));
		String again = signIn(people().get(1));
		String repeated = signIn(people().get(0));
		assertThat(repeated).isEqualTo(first);
		assertThat(again).isNotEqualTo(first);
	}

}
