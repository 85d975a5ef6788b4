package dev.tongxing.server.connector.wechat.follow;

import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.connector.wechat.WechatApiClient;
import dev.tongxing.server.connector.wechat.WechatApp;
import dev.tongxing.server.connector.wechat.WechatConnector;
import dev.tongxing.server.connector.wechat.WechatException;
import dev.tongxing.server.connector.wechat.WechatFailures;
import dev.tongxing.server.connector.wechat.WechatIdentity;
import dev.tongxing.server.connector.wechat.WechatProperties;
import dev.tongxing.server.connector.wechat.WechatAppKind;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.FailureAdvice;
import dev.tongxing.server.login.spi.IdentityNamespaces;
import dev.tongxing.server.login.spi.Probe;
import dev.tongxing.server.login.spi.RedirectConnector;
import dev.tongxing.server.login.spi.UpstreamError;
import dev.tongxing.server.ratelimit.SignInAttempts;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Follow the official account to sign in (关注公众号登录), a redirect connector whose "upstream page" is our own: the
 * broker's {@code /login/wechat-follow} asks WeChat for a temporary QR code ({@code qrcode/create},
 * {@code QR_STR_SCENE}) whose scene is random and kept beside the broker's pending login, and sends the browser to
 * {@code /login/wechat-follow/scan}, which shows it and waits (a long poll). Scanning it — and following, or having
 * followed before — makes WeChat push a {@code subscribe}/{@code SCAN} event to {@code /wechat/follow/messages} on
 * any node, which records the openid on the scene; the waiting page then goes to the broker's callback, which takes
 * the pending login once, in this browser only, and here the scene once: {@code user/info} adds the UnionID where the
 * account is bound to an open platform, so the person lands in the same account as every other WeChat login.
 */
@Component
class FollowLoginConnector implements RedirectConnector {

	static final String METHOD = "wechat-follow";

	static final String SCENE = "scene";

	/** The connector's own codes in failure records ({@code follow <code>}), beside WeChat's errcodes. */
	static final String EXPIRED = "scene-expired";

	static final String NOT_SCANNED = "not-scanned";

	static final String TOO_MANY = "too-many-codes";

	static final String UNFOLLOWED = "unfollowed";

	private static final FailureAdvice ADVICE = advice();

	private final FollowProperties properties;

	private final FollowApp followApp;

	private final WechatConnector wechat;

	private final WechatProperties wechatProperties;

	private final FollowScenes scenes;

	private final Clock clock;

	private final ObjectProvider<SignInAttempts> attempts;

	FollowLoginConnector(FollowProperties properties, FollowApp followApp, WechatConnector wechat,
			WechatProperties wechatProperties, FollowScenes scenes, Clock clock, ObjectProvider<SignInAttempts> attempts) {
		this.attempts = attempts;
		this.properties = properties;
		this.followApp = followApp;
		this.wechat = wechat;
		this.wechatProperties = wechatProperties;
		this.scenes = scenes;
		this.clock = clock;
	}

	private static FailureAdvice advice() {
		Map<String, FailureAdvice.Advice> codes = new HashMap<>(WechatFailures.ADVICE.codes());
		codes.put(EXPIRED, new FailureAdvice.Advice(LoginFailureCause.STATE_INVALID, "ops.wechat-follow.scene-expired"));
		codes.put(NOT_SCANNED, new FailureAdvice.Advice(LoginFailureCause.USER_CANCELLED, "ops.wechat-follow.not-scanned"));
		codes.put(UNFOLLOWED, new FailureAdvice.Advice(LoginFailureCause.USER_CANCELLED, "ops.wechat-follow.unfollowed"));
		codes.put(TOO_MANY, new FailureAdvice.Advice(LoginFailureCause.RISK_CONTROL, "ops.wechat-follow.too-many-codes"));
		return new FailureAdvice(codes);
	}

	@Override
	public String id() {
		return METHOD;
	}

	@Override
	public Labels labels() {
		return new Labels("login.method.wechat-follow", "account.method.wechat-follow", "/images/wechat.svg",
				"/login/wechat-follow", 11);
	}

	@Override
	public boolean enabled() {
		return this.properties.enabled() && this.followApp.app().isPresent();
	}

	@Override
	public Optional<String> degradedNotice() {
		return this.followApp.app().filter(this::failing).map(app -> "wechat-follow.degraded");
	}

	private boolean failing(WechatApp app) {
		return this.wechat.api().breaker(app.appid()).getState() != CircuitBreaker.State.CLOSED;
	}

	/**
	 * Its logins make WeChat's identities ({@code wechat-union}, {@code wechat-open}), which the WeChat connector owns
	 * and the account page shows as one WeChat entry; it owns none of its own.
	 */
	@Override
	public IdentityNamespaces identities() {
		return new IdentityNamespaces(Set.of(), true, key -> "");
	}

	@Override
	public FailureAdvice failureAdvice() {
		return ADVICE;
	}

	@Override
	public List<Probe> probes() {
		return this.followApp.app()
			.filter(app -> this.properties.enabled())
			.map(app -> List.of(new Probe(METHOD + ":" + app.appid(), METHOD, () -> this.wechat.probe(app))))
			.orElse(List.of());
	}

	@Override
	public List<String> configurationProblems() {
		List<String> problems = new java.util.ArrayList<>(this.properties.problems());
		String appid = this.properties.appid();
		if (this.properties.enabled() && appid != null && !appid.isBlank() && !this.wechatProperties.apps().isEmpty()
				&& this.wechatProperties.apps()
					.stream()
					.noneMatch(a -> appid.equals(a.appid()) && a.kind() == WechatAppKind.OFFICIAL_ACCOUNT)) {
			problems.add("tongxing.wechat.follow.appid must name an app of tongxing.wechat.apps of kind official-account");
		}
		return problems;
	}

	@Override
	public String displayName() {
		return "WeChat";
	}

	@Override
	public Authorization authorize(Begin begin) {
		WechatApp app = this.followApp.app().orElseThrow(() -> new ConnectorFailure(LoginFailureCause.OUR_CONFIGURATION,
				null, "no WeChat official account is configured for follow-to-sign-in", null));
		// each code is a WeChat call from the app's budget: one address cannot spend it
		SignInAttempts limit = this.attempts.getIfAvailable();
		if (limit != null && limit.beforeAttempt(METHOD, begin.request()) != null) {
			throw new ConnectorFailure(LoginFailureCause.RISK_CONTROL, new UpstreamError("follow", TOO_MANY),
					"too many QR codes asked for from " + begin.request().getRemoteAddr(), null);
		}
		String scene = FollowScenes.newScene();
		long seconds = this.properties.qrLifetime().toSeconds();
		WechatApiClient.QrCode code;
		try {
			code = this.wechat.qrCode(app, scene, seconds);
		}
		catch (WechatException ex) {
			throw new ConnectorFailure(WechatFailures.cause(ex), WechatFailures.error(ex),
					"app " + app.appid() + ": " + ex.getMessage(), ex);
		}
		if (code.ticket() == null || code.url() == null) {
			throw new ConnectorFailure(LoginFailureCause.UPSTREAM_UNAVAILABLE,
					new UpstreamError("/cgi-bin/qrcode/create", "malformed"), "qrcode/create gave no ticket or url", null);
		}
		// never longer than asked for, whatever WeChat says: a code outliving its login would lead nowhere
		long lifetime = code.expireSeconds() > 0 ? Math.min(code.expireSeconds(), seconds) : seconds;
		Instant expires = this.clock.instant().plusSeconds(lifetime);
		this.scenes.create(scene, begin.state(), app.appid(), code.ticket(), code.url(), expires);
		URI page = begin.callbackUri().resolve("scan?state=" + URLEncoder.encode(begin.state(), StandardCharsets.UTF_8));
		return new Authorization(page, app.appid(), Map.of(SCENE, scene));
	}

	@Override
	public Answer callback(Callback callback) {
		String sceneId = callback.attributes().get(SCENE);
		Optional<FollowScenes.Scene> found = sceneId == null ? Optional.empty()
				: this.scenes.byState(callback.request().getParameter("state")).filter(s -> s.scene().equals(sceneId));
		// the pending login was taken once by the broker; its code goes with it, scanned or not
		found.ifPresent(s -> this.scenes.delete(s.scene()));
		if (found.isEmpty() || !found.get().scanned() && !found.get().expiresAt().isAfter(this.clock.instant())) {
			throw new ConnectorFailure(LoginFailureCause.STATE_INVALID, new UpstreamError("follow", EXPIRED),
					"the QR code expired before anyone scanned it", null);
		}
		FollowScenes.Scene scene = found.get();
		if (!scene.scanned()) {
			throw new ConnectorFailure(LoginFailureCause.USER_CANCELLED, new UpstreamError("follow", NOT_SCANNED),
					"the callback came before the QR code was scanned", null);
		}
		WechatApp app = this.wechat.apps().find(scene.appid()).orElseThrow(() -> new ConnectorFailure(
				LoginFailureCause.OUR_CONFIGURATION, null, "WeChat app " + scene.appid() + " is no longer configured", null));
		WechatApiClient.Follower follower;
		try {
			follower = this.wechat.follower(app, scene.openid());
		}
		catch (WechatException ex) {
			throw new ConnectorFailure(WechatFailures.cause(ex), WechatFailures.error(ex),
					"app " + app.appid() + ": " + ex.getMessage(), ex);
		}
		// a person who is no longer a follower gets no UnionID from user/info: signing them in on the openid alone could
		// open a second account beside their UnionID's, so the way in is what its name says
		if (!follower.subscribed()) {
			throw new ConnectorFailure(LoginFailureCause.USER_CANCELLED, new UpstreamError("follow", UNFOLLOWED),
					"the person unfollowed the official account before the callback", null);
		}
		// the signed push named the openid; user/info only adds the UnionID (none for an unbound account)
		WechatIdentity identity = new WechatIdentity(app.appid(), scene.openid(), follower.unionid(), null, null, false);
		ExternalIdentity wechatIdentity = identity.toExternalIdentity();
		return Answer.identified(new ExternalIdentity(METHOD, wechatIdentity.keys(), wechatIdentity.profile()));
	}

	@Override
	public String loginError(ConnectorFailure failure) {
		return switch (failure.failureCause()) {
			case STATE_INVALID -> "wechat-follow.expired";
			case RISK_CONTROL -> "wechat-follow.too-many";
			case USER_CANCELLED -> failure.upstreamError() != null && UNFOLLOWED.equals(failure.upstreamError().code())
					? "wechat-follow.unfollowed" : RedirectConnector.super.loginError(failure);
			case UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED, UPSTREAM_QUOTA, NETWORK -> "wechat.unavailable";
			case OUR_CONFIGURATION -> failure.upstreamError() == null ? "wechat-follow.not-configured" : "wechat.config";
			default -> RedirectConnector.super.loginError(failure);
		};
	}

}
