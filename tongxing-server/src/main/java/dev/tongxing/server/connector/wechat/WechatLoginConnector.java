package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.RedirectConnector;
import dev.tongxing.server.login.spi.NativeLoginException;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.Set;
import org.springframework.stereotype.Component;

/**
 * WeChat as the core sees it: "Sign in with WeChat" on the login page when a website app is configured (an
 * official account takes over inside WeChat's own browser), one account-page entry for all of a person's
 * WeChat identities (UnionID and every app's openid), "bind WeChat" there, the errcodes' advice, and one
 * probe per app ({@code stable_token}, which hands back the current app token and invalidates nothing).
 * While WeChat calls are failing (the app's circuit breaker is not closed, or most recent calls failed) the
 * login page says so in plain words and puts the other methods first.
 * <p>
 * Natively, a mobile app (Open SDK) or a mini program ({@code wx.login}) hands over the code it got through
 * the token-exchange grant: {@code subject_token_type} = {@value #SUBJECT_TOKEN_TYPE}, {@code appid} = the
 * WeChat app that issued it. A mini program may add {@code phone_code} (from {@code getPhoneNumber}) to bind
 * the user's phone.
 * <p>
 * In the browser (a redirect connector, its pages {@code /login/wechat} and {@code /login/wechat/callback} served
 * by the login broker): website QR login anywhere, official-account authorization inside WeChat's own browser
 * ({@code snsapi_base} for a browser that signed in before, {@code snsapi_userinfo} otherwise).
 */
@Component
class WechatLoginConnector implements NativeConnector, RedirectConnector {

	private static final Logger log = LoggerFactory.getLogger(WechatLoginConnector.class);

	static final String METHOD = "wechat";

	static final String SUBJECT_TOKEN_TYPE = "urn:tongxing:token-type:wechat-code";

	static final String APPID = "appid";

	static final String PHONE_CODE = "phone_code";

	private static final IdentityNamespaces IDENTITIES = new IdentityNamespaces(
			Set.of(WechatIdentity.UNION, WechatIdentity.OPEN), true, key -> "");

	/** Remembers (not personal data: just the appid) that this WeChat browser has signed in before. */
	static final String KNOWN_COOKIE = "tx_wx_known";

	static final String SCOPE = "scope";

	private final WechatConnector wechat;

	private final AccountService accounts;

	private final WechatConfig.WechatHosts hosts;

	WechatLoginConnector(WechatConnector wechat, AccountService accounts, WechatConfig.WechatHosts hosts) {
		this.wechat = wechat;
		this.accounts = accounts;
		this.hosts = hosts;
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.wechat", "account.method.wechat", "/images/wechat.svg", "/login/wechat", 10);
	}

	@Override
	public boolean enabled() {
		return website().isPresent();
	}

	@Override
	public Optional<String> degradedNotice() {
		return website().filter(this::failing).map(app -> "wechat.degraded");
	}

	@Override
	public IdentityNamespaces identities() {
		return IDENTITIES;
	}

	@Override
	public Optional<AccountLink> accountLink() {
		return Optional.of(new AccountLink(WechatIdentity.OPEN, "account.bind.wechat", "/account/wechat"));
	}

	@Override
	public FailureAdvice failureAdvice() {
		return WechatFailures.ADVICE;
	}

	@Override
	public List<Probe> probes() {
		return this.wechat.apps()
			.all()
			.stream()
			.map(app -> new Probe("wechat:" + app.appid(), METHOD, () -> this.wechat.probe(app)))
			.toList();
	}

	@Override
	public String subjectTokenType() {
		return SUBJECT_TOKEN_TYPE;
	}

	@Override
	public Map<String, Boolean> parameters() {
		return Map.of(APPID, true, PHONE_CODE, false);
	}

	@Override
	public String displayName() {
		return "WeChat";
	}

	@Override
	public List<String> dataCategories() {
		return List.of("wechat-identifiers", "wechat-profile");
	}

	/** A mini program's {@code phone_code} collects the phone number: the gates ask for its separate consent. */
	@Override
	public List<String> dataCategories(Map<String, String> parameters) {
		boolean phone = parameters.get(PHONE_CODE) != null && this.wechat.apps()
			.find(parameters.get(APPID))
			.filter(app -> app.kind() == WechatAppKind.MINI_PROGRAM)
			.isPresent();
		return phone ? List.of("wechat-identifiers", "wechat-profile", "phone-number") : dataCategories();
	}

	@Override
	public String app(Map<String, String> parameters) {
		return nativeApp(parameters).appid();
	}

	private WechatApp nativeApp(Map<String, String> parameters) {
		WechatApp app = this.wechat.apps().find(parameters.get(APPID)).orElse(null);
		if (app == null || !app.kind().nativeApp()) {
			throw new NativeLoginException("invalid_request",
					"appid must name a WeChat mobile or mini-program app configured on this gateway");
		}
		return app;
	}

	@Override
	public ExternalIdentity identify(String code, Map<String, String> parameters) {
		WechatApp app = nativeApp(parameters);
		try {
			return this.wechat.identify(new WechatConnector.Proof(app, code));
		}
		catch (SnapshotUserException ex) {
			throw new NativeLoginException("access_denied", "A WeChat snapshot-page user cannot sign in");
		}
		catch (WechatException ex) {
			throw new ConnectorFailure(WechatFailures.cause(ex), WechatFailures.error(ex), ex.getMessage(), ex);
		}
	}

	/** Binds the mini program user's phone; never merges silently with another account that has it. */
	@Override
	public Map<String, Object> afterSignIn(String userId, Map<String, String> parameters) {
		String phoneCode = parameters.get(PHONE_CODE);
		if (phoneCode == null) {
			return Map.of();
		}
		WechatApp app = nativeApp(parameters);
		if (app.kind() != WechatAppKind.MINI_PROGRAM) {
			return Map.of("phone_binding", "not_applicable");
		}
		try {
			String phone = this.wechat.miniProgramPhone(app, phoneCode);
			return Map.of("phone_binding", switch (this.accounts.link(userId, new IdentityKey("phone", phone),
					"wechat-mini-program")) {
				case LINKED, ALREADY_LINKED -> "bound";
				case CONFLICT -> "conflict";
			});
		}
		catch (WechatException ex) {
			log.warn("Could not read the mini program user's phone: {}", ex.getMessage());
			return Map.of("phone_binding", "failed");
		}
	}

	static boolean insideWechat(HttpServletRequest request) {
		String agent = request.getHeader("User-Agent");
		return agent != null && agent.contains("MicroMessenger");
	}

	@Override
	public Authorization authorize(Begin begin) {
		HttpServletRequest request = begin.request();
		Optional<WechatApp> officialAccount = this.wechat.apps().first(WechatAppKind.OFFICIAL_ACCOUNT);
		if (begin.purpose() == Purpose.LOGIN && insideWechat(request) && officialAccount.isPresent()) {
			WechatApp app = officialAccount.get();
			boolean known = app.appid().equals(cookie(request, KNOWN_COOKIE))
					&& !"userinfo".equals(request.getParameter("scope"));
			String scope = known ? "snsapi_base" : "snsapi_userinfo";
			return new Authorization(URI.create(this.hosts.openBase() + "/connect/oauth2/authorize?appid=" + app.appid()
					+ "&redirect_uri=" + encode(begin.callbackUri()) + "&response_type=code&scope=" + scope + "&state="
					+ begin.state() + "#wechat_redirect"), app.appid(), Map.of(SCOPE, scope));
		}
		WechatApp app = website().orElseThrow(() -> new ConnectorFailure(LoginFailureCause.OUR_CONFIGURATION, null,
				"no WeChat website app is configured", null));
		return new Authorization(URI.create(this.hosts.openBase() + "/connect/qrconnect?appid=" + app.appid()
				+ "&redirect_uri=" + encode(begin.callbackUri()) + "&response_type=code&scope=snsapi_login&state="
				+ begin.state() + "#wechat_redirect"), app.appid(), Map.of(SCOPE, "snsapi_login"));
	}

	@Override
	public Answer callback(Callback callback) {
		String code = callback.request().getParameter("code");
		if (code == null || code.isBlank()) {
			throw new ConnectorFailure(LoginFailureCause.USER_CANCELLED, null, "WeChat answered without a code", null);
		}
		WechatApp app = this.wechat.apps().find(callback.app()).orElseThrow(() -> new ConnectorFailure(
				LoginFailureCause.OUR_CONFIGURATION, null, "WeChat app " + callback.app() + " is no longer configured", null));
		ExternalIdentity identity;
		try {
			identity = this.wechat.identify(new WechatConnector.Proof(app, code));
		}
		catch (SnapshotUserException ex) {
			return Answer.page("wechat/snapshot");
		}
		catch (WechatException ex) {
			throw new ConnectorFailure(WechatFailures.cause(ex), WechatFailures.error(ex),
					"app " + app.appid() + ": " + ex.getMessage(), ex);
		}
		// silent authorization only gives the (appid, openid) key: known to us, or a stranger asked for more
		return "snsapi_base".equals(callback.attributes().get(SCOPE))
				? Answer.identifiedIfKnown(identity, "/login/wechat?scope=userinfo") : Answer.identified(identity);
	}

	@Override
	public String loginError(ConnectorFailure failure) {
		return switch (failure.failureCause()) {
			case STATE_INVALID -> "wechat.state";
			case USER_CANCELLED -> "wechat.cancelled";
			case CODE_EXPIRED_OR_REUSED -> "wechat.code";
			case UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED, UPSTREAM_QUOTA, NETWORK -> "wechat.unavailable";
			case OUR_CONFIGURATION -> failure.upstreamError() == null ? "wechat.not-configured" : "wechat.config";
			default -> "wechat.config";
		};
	}

	/** An official account's browser that signed in once takes the silent authorization next time. */
	@Override
	public void signedIn(Callback callback, HttpServletResponse response) {
		this.wechat.apps().find(callback.app()).filter(app -> app.kind() == WechatAppKind.OFFICIAL_ACCOUNT).ifPresent(app -> {
			Cookie known = new Cookie(KNOWN_COOKIE, app.appid());
			known.setMaxAge(365 * 24 * 3600);
			known.setHttpOnly(true);
			known.setPath("/login/wechat");
			response.addCookie(known);
		});
	}

	private static String cookie(HttpServletRequest request, String name) {
		if (request.getCookies() == null) {
			return null;
		}
		for (Cookie c : request.getCookies()) {
			if (c.getName().equals(name)) {
				return c.getValue();
			}
		}
		return null;
	}

	private static String encode(URI value) {
		return URLEncoder.encode(value.toString(), StandardCharsets.UTF_8);
	}

	private Optional<WechatApp> website() {
		return this.wechat.apps().first(WechatAppKind.WEBSITE);
	}

	boolean failing(WechatApp app) {
		CircuitBreaker breaker = this.wechat.api().breaker(app.appid());
		CircuitBreaker.Metrics metrics = breaker.getMetrics();
		// the breaker's own failure rate waits for its minimum number of calls; a few failures in a row are news
		int calls = metrics.getNumberOfBufferedCalls();
		return breaker.getState() != CircuitBreaker.State.CLOSED
				|| (calls >= 3 && metrics.getNumberOfFailedCalls() * 2 >= calls);
	}

}
