package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import dev.tongxing.server.login.LoginCompletion;
import dev.tongxing.server.login.PendingLogins;
import dev.tongxing.server.login.LoginFailureCause;
import dev.tongxing.server.oidc.OidcProperties;
import jakarta.servlet.http.Cookie;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;

/**
 * WeChat login in the browser: website QR login anywhere, official-account authorization inside WeChat's
 * own browser ({@code snsapi_base} for a browser that signed in before, {@code snsapi_userinfo}
 * otherwise). The callback checks the state against this browser, exchanges the code once, and lands
 * the person in their one account.
 */
@Controller
class WechatLoginController {

	private static final Logger log = LoggerFactory.getLogger(WechatLoginController.class);

	/** Remembers (not personal data: just the appid) that this WeChat browser has signed in before. */
	static final String KNOWN_COOKIE = "tx_wx_known";

	private final WechatConnector wechat;

	private final PendingLogins states;

	private final WechatConfig.WechatHosts hosts;

	private final LoginCompletion completion;

	private final AccountService accounts;

	private final AccountLinking linking;

	private final String callbackUri;

	WechatLoginController(WechatConnector wechat, PendingLogins states, WechatConfig.WechatHosts hosts,
			LoginCompletion completion, AccountService accounts, AccountLinking linking, OidcProperties oidc) {
		this.linking = linking;
		this.wechat = wechat;
		this.states = states;
		this.hosts = hosts;
		this.completion = completion;
		this.accounts = accounts;
		this.callbackUri = oidc.issuer() + "/login/wechat/callback";
	}

	static boolean insideWechat(HttpServletRequest request) {
		String agent = request.getHeader("User-Agent");
		return agent != null && agent.contains("MicroMessenger");
	}

	@GetMapping("/login/wechat")
	String start(@RequestParam(name = "scope", required = false) String scope, HttpServletRequest request,
			HttpServletResponse response) {
		Optional<WechatApp> officialAccount = this.wechat.apps().first(WechatAppKind.OFFICIAL_ACCOUNT);
		if (insideWechat(request) && officialAccount.isPresent()) {
			WechatApp app = officialAccount.get();
			boolean known = app.appid().equals(cookie(request, KNOWN_COOKIE)) && !"userinfo".equals(scope);
			String oaScope = known ? "snsapi_base" : "snsapi_userinfo";
			String state = begin(app, oaScope, "login", request);
			return "redirect:" + this.hosts.openBase() + "/connect/oauth2/authorize?appid=" + app.appid()
					+ "&redirect_uri=" + encode(this.callbackUri) + "&response_type=code&scope=" + oaScope + "&state="
					+ state + "#wechat_redirect";
		}
		return qrLogin(request, "login");
	}

	/** Adds WeChat to the signed-in person's account (the account page's "bind WeChat"). */
	@GetMapping("/account/wechat")
	String bind(HttpServletRequest request) {
		return qrLogin(request, "bind");
	}

	private String qrLogin(HttpServletRequest request, String purpose) {
		Optional<WechatApp> website = this.wechat.apps().first(WechatAppKind.WEBSITE);
		if (website.isEmpty()) {
			return "redirect:/login?error=wechat.not-configured";
		}
		WechatApp app = website.get();
		String state = begin(app, "snsapi_login", purpose, request);
		return "redirect:" + this.hosts.openBase() + "/connect/qrconnect?appid=" + app.appid() + "&redirect_uri="
				+ encode(this.callbackUri) + "&response_type=code&scope=snsapi_login&state=" + state
				+ "#wechat_redirect";
	}

	@GetMapping("/login/wechat/callback")
	String callback(@RequestParam(name = "code", required = false) String code,
			@RequestParam(name = "state", required = false) String stateValue, HttpServletRequest request,
			HttpServletResponse response) {
		HttpSession session = request.getSession(false);
		Optional<LoginState> state = this.states.take(stateValue, WechatLoginConnector.METHOD, request)
			.map(LoginState::of);
		if (state.isEmpty()) {
			this.completion.failed("wechat", null, LoginFailureCause.STATE_INVALID, null, request);
			return "redirect:/login?error=wechat.state";
		}
		if (code == null || code.isBlank()) {
			this.completion.failed("wechat", state.get().appid(), LoginFailureCause.USER_CANCELLED, null, request);
			return "redirect:/login?error=wechat.cancelled";
		}
		WechatApp app = this.wechat.apps().find(state.get().appid()).orElse(null);
		if (app == null) {
			this.completion.failed("wechat", state.get().appid(), LoginFailureCause.OUR_CONFIGURATION, null, request);
			return "redirect:/login?error=wechat.not-configured";
		}
		ExternalIdentity identity;
		try {
			identity = this.wechat.identify(new WechatConnector.Proof(app, code));
		}
		catch (SnapshotUserException ex) {
			return "wechat/snapshot";
		}
		catch (WechatException ex) {
			log.warn("WeChat login failed for app {}: {}", app.appid(), ex.getMessage());
			LoginFailureCause cause = WechatFailures.cause(ex);
			this.completion.failed("wechat", app.appid(), cause, WechatFailures.detail(ex), request);
			return "redirect:/login?error=" + switch (cause) {
				case CODE_EXPIRED_OR_REUSED -> "wechat.code";
				case UPSTREAM_UNAVAILABLE, UPSTREAM_RATE_LIMITED, UPSTREAM_QUOTA, NETWORK -> "wechat.unavailable";
				default -> "wechat.config";
			};
		}
		if ("bind".equals(state.get().purpose())) {
			Authentication current = SecurityContextHolder.getContext().getAuthentication();
			if (current == null || !current.isAuthenticated() || current instanceof AnonymousAuthenticationToken) {
				return "redirect:/login";
			}
			return "redirect:" + this.linking.link(current.getName(), identity.keys(), "wechat",
					identity.profile().displayName() != null ? identity.profile().displayName() : "WeChat", session);
		}
		// silent authorization only gives the (appid, openid) key: known to us, or not
		if ("snsapi_base".equals(state.get().scope()) && identity.keys().stream().allMatch(k -> this.accounts.userFor(k).isEmpty())) {
			// a stranger needs the full authorization
			return "redirect:/login/wechat?scope=userinfo";
		}
		String next = this.completion.complete(identity, app.appid(), request, response);
		if (app.kind() == WechatAppKind.OFFICIAL_ACCOUNT) {
			Cookie known = new Cookie(KNOWN_COOKIE, app.appid());
			known.setMaxAge(365 * 24 * 3600);
			known.setHttpOnly(true);
			known.setPath("/login/wechat");
			response.addCookie(known);
		}
		return "redirect:" + next;
	}

	/** What the callback needs of a pending WeChat login. */
	record LoginState(String appid, String scope, String purpose) {

		static LoginState of(PendingLogins.PendingLogin pending) {
			return new LoginState(pending.app(), pending.attributes().get(SCOPE), pending.attributes().get(PURPOSE));
		}

	}

	static final String SCOPE = "scope";

	static final String PURPOSE = "purpose";

	private String begin(WechatApp app, String scope, String purpose, HttpServletRequest request) {
		return this.states.begin(WechatLoginConnector.METHOD, app.appid(), java.util.Map.of(SCOPE, scope, PURPOSE, purpose),
				request);
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

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

}
