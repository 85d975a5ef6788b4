package dev.tongxing.bench;

import com.nimbusds.jwt.SignedJWT;
import dev.tongxing.wechat.emulator.DefaultFixture;
import dev.tongxing.wechat.emulator.WechatEmulator;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The soak's operations, each what a person or an app does, over HTTP through the balancer, with the gateway
 * in its production configuration: a browser login through the WeChat website login (the emulator's QR page
 * scanned and confirmed as the person would on their phone) and the web app's consent page, ending in a code
 * redeemed with PKCE; the mobile app's token exchange; refresh-token rotation; introspection; withdrawing the
 * web app's access on {@code /account/consents}; deleting the account on {@code /account/delete}. Each returns
 * normally on success and throws a {@link SoakFailure} naming the cause otherwise; an {@link IOException} is
 * the connection's fault (a node killed under it), classified by the caller.
 */
final class SoakOperations {

	static final String WEB = Gateway.WEB_CLIENT_ID;

	static final String APP = Gateway.APP_CLIENT_ID;

	private static final Pattern SESSION = Pattern.compile("data-session=\"([A-Za-z0-9]+)\"");

	private final String base;

	private final WechatEmulator emulator;

	private final SoakExpectedEvents expected;

	private volatile String policyVersion;

	SoakOperations(String base, WechatEmulator emulator, SoakExpectedEvents expected) {
		this.base = base;
		this.emulator = emulator;
		this.expected = expected;
	}

	// ---- browser login: authorize -> login page -> WeChat QR -> callback -> consent -> code -> token (PKCE)

	void browserLogin(SoakPerson person) throws IOException, InterruptedException {
		try (SoakBrowser browser = new SoakBrowser()) {
			BenchSetup.Pkce pkce = BenchSetup.Pkce.create();
			String authorize = authorizeUrl(pkce);
			HttpResponse<String> page = browser.follow(browser.get(authorize), BenchSetup.CALLBACK, this.base);
			expectPath(page, "/login");
			HttpResponse<String> after = wechatSignIn(browser, person);
			if (after.statusCode() == 200 && after.body().contains("data-testid=\"consent\"")) {
				after = consent(browser, after);
			}
			URI callback = SoakBrowser.location(after);
			if (callback == null || !callback.toString().startsWith(BenchSetup.CALLBACK)) {
				throw unexpected("no code for the web app", after);
			}
			Map<String, String> query = BenchSetup.query(callback);
			if (query.containsKey("error")) {
				throw new SoakFailure("authorize " + query.get("error"), String.valueOf(query.get("error_description")));
			}
			Map<String, Object> tokens = token(WEB, Gateway.WEB_CLIENT_SECRET, List.of(
					new String[] { "grant_type", "authorization_code" }, new String[] { "code", query.get("code") },
					new String[] { "redirect_uri", BenchSetup.CALLBACK }, new String[] { "code_verifier", pkce.verifier() }));
			received(person, WEB, tokens);
			// withdrawn only once the soak knows the sub the app was given (its events name the person by it)
			person.webConsent = true;
		}
	}

	/**
	 * From the login page: the gateway's WeChat button, WeChat's QR page, the person scanning it and confirming,
	 * the gateway's callback, "not now" to the phone invitation. Returns where the gateway sent the browser then
	 * (a redirect to the saved request, or the page it ended on); a failed login is the gateway's error.
	 */
	private HttpResponse<String> wechatSignIn(SoakBrowser browser, SoakPerson person)
			throws IOException, InterruptedException {
		HttpResponse<String> toWechat = browser.get(this.base + "/login/wechat");
		URI qr = SoakBrowser.location(toWechat);
		if (qr == null || !qr.toString().startsWith(this.emulator.baseUrl())) {
			throw unexpected("no redirect to WeChat", toWechat);
		}
		HttpResponse<String> qrPage = browser.get(qr.toString());
		Matcher session = SESSION.matcher(qrPage.body());
		if (qrPage.statusCode() != 200 || !session.find()) {
			throw unexpected("no WeChat QR page", qrPage);
		}
		String sessionUrl = this.emulator.baseUrl() + "/connect/session/" + session.group(1);
		HttpResponse<String> scanned = browser.post(sessionUrl + "/scan", List.<String[]>of(new String[] { "user", person.user }));
		if (scanned.statusCode() / 100 != 3) {
			throw unexpected("WeChat did not take the scan", scanned);
		}
		HttpResponse<String> confirmed = browser.post(sessionUrl + "/confirm", List.of());
		URI callback = SoakBrowser.location(confirmed);
		if (callback == null || !callback.toString().startsWith(this.base + "/login/wechat/callback")) {
			throw unexpected("WeChat did not send the browser back", confirmed);
		}
		HttpResponse<String> back = browser.follow(browser.get(callback.toString()), BenchSetup.CALLBACK, this.base);
		if (back.statusCode() == 200 && back.body().contains("data-testid=\"phone-invitation\"")) {
			back = browser.follow(browser.get(this.base + "/account/phone/skip"), BenchSetup.CALLBACK, this.base);
		}
		if (back.uri().getPath().equals("/login") && back.uri().getQuery() != null) {
			String error = BenchSetup.query(back.uri()).get("error");
			if (error != null) {
				throw new SoakFailure("login " + error, "the gateway's WeChat login failed: " + back.uri());
			}
		}
		return back;
	}

	/** The web app is not first-party: its consent page, every box ticked, then the confirmation naming it. */
	private HttpResponse<String> consent(SoakBrowser browser, HttpResponse<String> page)
			throws IOException, InterruptedException {
		SoakBrowser.Form form = only(SoakBrowser.forms(page.body(), "/oauth2/consent"), page);
		HttpResponse<String> confirm = browser.follow(
				browser.post(this.base + "/oauth2/consent", form.submit("item", "decision")), BenchSetup.CALLBACK,
				this.base);
		List<SoakBrowser.Form> forms = SoakBrowser.forms(confirm.body(), "/oauth2/authorize")
			.stream()
			.filter(f -> f.hidden().stream().anyMatch(h -> h[0].equals("consent_confirmation")))
			.toList();
		SoakBrowser.Form yes = only(forms, confirm);
		return browser.post(this.base + "/oauth2/authorize", yes.submit("item", "decision"));
	}

	private String authorizeUrl(BenchSetup.Pkce pkce) {
		return this.base + "/oauth2/authorize?response_type=code&client_id=" + WEB + "&redirect_uri="
				+ Workload.Http.form(BenchSetup.CALLBACK) + "&scope=" + Workload.Http.form(Gateway.USER_SCOPE)
				+ "&state=" + BenchSetup.random() + "&nonce=" + BenchSetup.random() + "&code_challenge="
				+ pkce.challenge() + "&code_challenge_method=S256";
	}

	// ---- the mobile app: a WeChat code from the SDK (the emulator plays the phone), exchanged at /oauth2/token

	void tokenExchange(SoakPerson person) throws IOException, InterruptedException {
		String code = this.emulator.control().mobileCode(DefaultFixture.MOBILE_APPID, person.user);
		List<String[]> form = new ArrayList<>();
		BenchSetup.tokenExchangeForm(code, Gateway.USER_SCOPE, policyVersion())
			.forEach((k, v) -> form.add(new String[] { k, v }));
		received(person, APP, token(APP, Gateway.APP_CLIENT_SECRET, form));
	}

	// ---- refresh rotation: the new refresh token replaces the old one

	void refresh(SoakPerson person, String client) throws IOException, InterruptedException {
		SoakPerson.Tokens held = person.tokens.get(client);
		// taken before the call: if the answer is lost the old token may be spent already, and using it again
		// would be a reuse that revokes the family (as it should)
		person.tokens.remove(client);
		Map<String, Object> tokens = token(client, secret(client), List.of(new String[] { "grant_type", "refresh_token" },
				new String[] { "refresh_token", held.refreshToken() }));
		if (tokens.get("refresh_token") == null) {
			throw new SoakFailure("no refresh token in the answer", tokens.keySet().toString());
		}
		received(person, client, tokens);
	}

	// ---- introspection by the token's own client

	void introspect(SoakPerson person, String client) throws IOException, InterruptedException {
		SoakPerson.Tokens held = person.tokens.get(client);
		Map<String, Object> answer = post("/oauth2/introspect", client, secret(client),
				List.<String[]>of(new String[] { "token", held.accessToken() }));
		if (!Boolean.TRUE.equals(answer.get("active"))) {
			throw new SoakFailure("introspection: inactive", "a live access token of " + client + " is inactive: " + answer);
		}
		if (!person.subjects.get(client).equals(answer.get("sub"))) {
			throw new SoakFailure("introspection: wrong sub", answer.get("sub") + " is not " + person.subjects.get(client));
		}
	}

	// ---- withdrawing the web app's access on /account/consents

	void withdraw(SoakPerson person) throws IOException, InterruptedException {
		try (SoakBrowser browser = new SoakBrowser()) {
			HttpResponse<String> page = signedIn(browser, person, "/account/consents");
			SoakBrowser.Form form = only(SoakBrowser.forms(page.body(), "/account/consents/withdraw")
				.stream()
				.filter(f -> f.hidden().stream().anyMatch(h -> h[0].equals("client") && h[1].equals(WEB)))
				.toList(), page);
			HttpResponse<String> done;
			try {
				done = browser.post(this.base + "/account/consents/withdraw", form.submit("item", null));
			}
			catch (IOException lost) {
				// the node may have committed before it died: look, as the person would, at the page again
				Thread.sleep(2000);
				try (SoakBrowser again = new SoakBrowser()) {
					HttpResponse<String> now = signedIn(again, person, "/account/consents");
					boolean gone = SoakBrowser.forms(now.body(), "/account/consents/withdraw")
						.stream()
						.noneMatch(f -> f.hidden().stream().anyMatch(h -> h[0].equals("client") && h[1].equals(WEB)));
					if (gone) {
						withdrawn(person);
					}
				}
				throw lost;
			}
			URI next = SoakBrowser.location(done);
			if (done.statusCode() != 302 || next == null || !next.toString().contains("withdrawn=" + WEB)) {
				throw unexpected("withdrawal not confirmed", done);
			}
			withdrawn(person);
		}
	}

	private void withdrawn(SoakPerson person) {
		this.expected.expect(WEB, SoakExpectedEvents.SESSION_REVOKED, subjectFor(person, WEB));
		person.webConsent = false;
		person.tokens.remove(WEB);
	}

	// ---- deleting the account: /account/delete after a fresh sign-in, the box ticked, confirmed

	void delete(SoakPerson person) throws IOException, InterruptedException {
		try (SoakBrowser browser = new SoakBrowser()) {
			HttpResponse<String> page = signedIn(browser, person, "/account/delete");
			SoakBrowser.Form form = only(SoakBrowser.forms(page.body(), "/account/delete"), page);
			HttpResponse<String> done;
			try {
				done = browser.post(this.base + "/account/delete", form.submit("confirm", null));
			}
			catch (IOException lost) {
				Thread.sleep(2000);
				if (deletionPending(person)) {
					deleted(person);
				}
				throw lost;
			}
			if (done.statusCode() != 200 || !done.body().contains("data-testid=\"deletion-requested\"")) {
				throw unexpected("deletion not confirmed", done);
			}
			deleted(person);
		}
	}

	/** Whether signing in shows the pending-deletion page: the request was made. */
	private boolean deletionPending(SoakPerson person) throws IOException, InterruptedException {
		try (SoakBrowser browser = new SoakBrowser()) {
			HttpResponse<String> page = signedIn(browser, person, "/account");
			return page.uri().getPath().equals("/account/deletion/pending")
					|| page.body().contains("data-testid=\"deletion-pending\"");
		}
	}

	private void deleted(SoakPerson person) {
		person.deleted = true;
		// every app that received the person's data: told now, and again when the cooling-off is over
		person.subjects.forEach((client, sub) -> {
			this.expected.expect(client, SoakExpectedEvents.ACCOUNT_DISABLED, sub);
			this.expected.expect(client, SoakExpectedEvents.SESSION_REVOKED, sub);
			this.expected.expect(client, SoakExpectedEvents.ACCOUNT_PURGED, sub);
		});
		person.tokens.clear();
	}

	/** A page of the account area, signing in through WeChat when the gateway asks for it. */
	private HttpResponse<String> signedIn(SoakBrowser browser, SoakPerson person, String path)
			throws IOException, InterruptedException {
		HttpResponse<String> page = browser.follow(browser.get(this.base + path), BenchSetup.CALLBACK, this.base);
		if (page.uri().getPath().equals("/login")) {
			HttpResponse<String> after = wechatSignIn(browser, person);
			page = browser.follow(after, BenchSetup.CALLBACK, this.base);
		}
		if (page.statusCode() != 200) {
			throw unexpected("no page " + path, page);
		}
		return page;
	}

	// ---- the token endpoint and the tokens it answers

	private void received(SoakPerson person, String client, Map<String, Object> tokens) {
		String access = (String) tokens.get("access_token");
		String refresh = (String) tokens.get("refresh_token");
		String sub = subject(tokens);
		if (access == null || sub == null) {
			throw new SoakFailure("no access or ID token in the answer", tokens.keySet().toString());
		}
		// a third-party app gets a pairwise sub: the same person is the same sub for one app, not across apps
		String known = person.subjects.get(client);
		if (known != null && !known.equals(sub)) {
			throw new SoakFailure("tokens for another account", client + ": expected sub " + known + ", got " + sub);
		}
		if (person.accountId == null) {
			person.accountId = sub;
		}
		person.subjects.put(client, sub);
		person.tokens.put(client, new SoakPerson.Tokens(refresh, access, expiry(access)));
	}

	private static String subject(Map<String, Object> tokens) {
		try {
			Object id = tokens.get("id_token");
			return id == null ? null : SignedJWT.parse((String) id).getJWTClaimsSet().getSubject();
		}
		catch (java.text.ParseException ex) {
			throw new SoakFailure("unreadable ID token", ex.getMessage());
		}
	}

	private static long expiry(String accessToken) {
		try {
			return SignedJWT.parse(accessToken).getJWTClaimsSet().getExpirationTime().getTime() / 1000;
		}
		catch (java.text.ParseException | NullPointerException ex) {
			throw new SoakFailure("unreadable access token", String.valueOf(ex.getMessage()));
		}
	}

	private Map<String, Object> token(String client, String secret, List<String[]> form)
			throws IOException, InterruptedException {
		return post("/oauth2/token", client, secret, form);
	}

	/** A client's POST; an error answer is a failure named by its OAuth error code, or by the HTTP status. */
	private Map<String, Object> post(String path, String client, String secret, List<String[]> form)
			throws IOException, InterruptedException {
		StringBuilder body = new StringBuilder();
		for (String[] f : form) {
			body.append(body.isEmpty() ? "" : "&").append(Workload.Http.form(f[0])).append('=')
				.append(Workload.Http.form(f[1]));
		}
		try (var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1)
			.connectTimeout(java.time.Duration.ofSeconds(5))
			.build()) {
			HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(URI.create(this.base + path))
				.header("Authorization", Workload.Http.basic(client, secret))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.timeout(java.time.Duration.ofSeconds(30))
				.POST(java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
				.build(), HttpResponse.BodyHandlers.ofString());
			Map<String, Object> json = jsonOrNull(response.body());
			if (response.statusCode() == 200 && json != null) {
				return json;
			}
			if (response.statusCode() >= 500) {
				throw new SoakFailure("http " + response.statusCode() + (json != null && json.get("error") != null
						? " " + json.get("error") : ""), path + ": " + abbreviate(response.body()));
			}
			if (json != null && json.get("error") != null) {
				throw new SoakFailure("oauth " + json.get("error"), path + ": " + json.get("error_description"));
			}
			throw new SoakFailure("http " + response.statusCode(), path + ": " + abbreviate(response.body()));
		}
	}

	private static Map<String, Object> jsonOrNull(String body) {
		try {
			return com.nimbusds.jose.util.JSONObjectUtils.parse(body);
		}
		catch (java.text.ParseException | RuntimeException notJson) {
			return null;
		}
	}

	/** The policy version in force, which a token exchange names (asked once, through the balancer). */
	private String policyVersion() throws IOException, InterruptedException {
		String version = this.policyVersion;
		if (version == null) {
			try (var http = java.net.http.HttpClient.newHttpClient()) {
				HttpResponse<String> policy = http.send(java.net.http.HttpRequest
					.newBuilder(URI.create(this.base + "/privacy/policy.json"))
					.timeout(java.time.Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
				Map<String, Object> json = jsonOrNull(policy.body());
				if (policy.statusCode() != 200 || json == null) {
					throw unexpected("no privacy policy", policy);
				}
				version = String.valueOf(json.get("version"));
				this.policyVersion = version;
			}
		}
		return version;
	}

	private static String secret(String client) {
		return client.equals(WEB) ? Gateway.WEB_CLIENT_SECRET : Gateway.APP_CLIENT_SECRET;
	}

	private static String subjectFor(SoakPerson person, String client) {
		String sub = person.subjects.get(client);
		if (sub == null) {
			throw new IllegalStateException("No sub of " + client + " for " + person.user);
		}
		return sub;
	}

	private static void expectPath(HttpResponse<String> page, String path) {
		if (page.statusCode() != 200 || !page.uri().getPath().equals(path)) {
			throw unexpected("expected " + path, page);
		}
	}

	private static SoakBrowser.Form only(List<SoakBrowser.Form> forms, HttpResponse<String> page) {
		if (forms.size() != 1) {
			throw unexpected(forms.size() + " matching forms", page);
		}
		return forms.getFirst();
	}

	/** A page the flow did not expect: named by its status (a 5xx is the gateway's failure, said as such). */
	static SoakFailure unexpected(String what, HttpResponse<String> page) {
		String status = page.statusCode() >= 500 ? "http " + page.statusCode() : "unexpected page";
		return new SoakFailure(status, what + ": HTTP " + page.statusCode() + " " + page.uri() + " "
				+ page.headers().firstValue("Location").orElse("") + " " + abbreviate(page.body()));
	}

	private static String abbreviate(String body) {
		String flat = body == null ? "" : body.replaceAll("\\s+", " ");
		return flat.length() > 300 ? flat.substring(0, 300) + "…" : flat;
	}

}
