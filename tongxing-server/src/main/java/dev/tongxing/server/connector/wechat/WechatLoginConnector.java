package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.NativeLoginException;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
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
 */
@Component
class WechatLoginConnector implements NativeConnector {

	private static final Logger log = LoggerFactory.getLogger(WechatLoginConnector.class);

	static final String METHOD = "wechat";

	static final String SUBJECT_TOKEN_TYPE = "urn:tongxing:token-type:wechat-code";

	static final String APPID = "appid";

	static final String PHONE_CODE = "phone_code";

	private static final IdentityNamespaces IDENTITIES = new IdentityNamespaces(
			Set.of(WechatIdentity.UNION, WechatIdentity.OPEN), true, key -> "");

	private final WechatConnector wechat;

	private final AccountService accounts;

	WechatLoginConnector(WechatConnector wechat, AccountService accounts) {
		this.wechat = wechat;
		this.accounts = accounts;
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.wechat", "account.method.wechat", "/img/wechat.svg", "/login/wechat", 10);
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
