package dev.tongxing.server.connector.wechat;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.consent.ConsentRecords;
import dev.tongxing.server.consent.PrivacyPolicies;
import dev.tongxing.server.consent.PrivacyPolicy;
import dev.tongxing.server.login.LoginAttempted;
import dev.tongxing.server.oidc.OAuth2ErrorWithParameters;
import dev.tongxing.server.oidc.TokenGrantExtension;
import dev.tongxing.server.oidc.UserTokenIssuer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2ClientAuthenticationToken;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.StringUtils;

/**
 * Native WeChat login at the token endpoint: a mobile app (Open SDK) or a mini program ({@code wx.login})
 * hands over the code it got, as an OAuth 2.0 Token Exchange (RFC 8693) request —
 * {@code subject_token} = the code, {@code subject_token_type} = {@value #SUBJECT_TOKEN_TYPE},
 * {@code appid} = the WeChat app that issued it — and receives the gateway's own tokens. A mini program may
 * add {@code phone_code} (from {@code getPhoneNumber}) to bind the user's phone. Every request names the
 * privacy-policy version the app showed and the person accepted ({@code policy_version}).
 */
class WechatCodeExchangeGrant implements TokenGrantExtension {

	private static final Logger log = LoggerFactory.getLogger(WechatCodeExchangeGrant.class);

	static final String SUBJECT_TOKEN_TYPE = "urn:tongxing:token-type:wechat-code";

	static final AuthorizationGrantType TOKEN_EXCHANGE = AuthorizationGrantType.TOKEN_EXCHANGE;

	static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private final WechatConnector wechat;

	private final AccountService accounts;

	private final UserTokenIssuer issuer;

	private final ApplicationEventPublisher events;

	private final PrivacyPolicies policies;

	private final ConsentRecords consents;

	private final String policyUri;

	WechatCodeExchangeGrant(WechatConnector wechat, AccountService accounts, UserTokenIssuer issuer,
			ApplicationEventPublisher events, PrivacyPolicies policies, ConsentRecords consents, String issuerUri) {
		this.wechat = wechat;
		this.accounts = accounts;
		this.issuer = issuer;
		this.events = events;
		this.policies = policies;
		this.consents = consents;
		this.policyUri = issuerUri + "/privacy/policy";
	}

	/** A parsed request: immutable, validated as far as parsing can. */
	static final class Request extends AbstractAuthenticationToken {

		final Authentication client;

		final String code;

		final String appid;

		final Set<String> scopes;

		final String phoneCode;

		final String policyVersion;

		Request(Authentication client, String code, String appid, Set<String> scopes, String phoneCode,
				String policyVersion) {
			super(List.of());
			this.client = client;
			this.code = code;
			this.appid = appid;
			this.scopes = scopes;
			this.phoneCode = phoneCode;
			this.policyVersion = policyVersion;
		}

		@Override
		public Object getCredentials() {
			return "";
		}

		@Override
		public Object getPrincipal() {
			return this.client;
		}

	}

	@Override
	public AuthenticationConverter converter() {
		return (HttpServletRequest request) -> {
			if (!TOKEN_EXCHANGE.getValue().equals(request.getParameter("grant_type"))
					|| !SUBJECT_TOKEN_TYPE.equals(request.getParameter("subject_token_type"))) {
				return null; // not ours: another token-exchange flavour or another grant
			}
			String code = single(request, "subject_token", true);
			String appid = single(request, "appid", true);
			String scope = single(request, "scope", false);
			String phoneCode = single(request, "phone_code", false);
			String policyVersion = single(request, "policy_version", false);
			Set<String> scopes = scope == null ? Set.of() : new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
			Authentication client = SecurityContextHolder.getContext().getAuthentication();
			return new Request(client, code, appid, scopes, phoneCode, policyVersion);
		};
	}

	private static String single(HttpServletRequest request, String name, boolean required) {
		String[] values = request.getParameterValues(name);
		if (values == null || values.length == 0 || !StringUtils.hasText(values[0])) {
			if (required) {
				throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Missing " + name);
			}
			return null;
		}
		if (values.length > 1) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST, "Repeated " + name);
		}
		return values[0];
	}

	@Override
	public AuthenticationProvider provider() {
		return new AuthenticationProvider() {
			@Override
			public Authentication authenticate(Authentication authentication) {
				return exchange((Request) authentication);
			}

			@Override
			public boolean supports(Class<?> authentication) {
				return Request.class.isAssignableFrom(authentication);
			}
		};
	}

	private Authentication exchange(Request request) {
		if (!(request.client instanceof OAuth2ClientAuthenticationToken clientPrincipal)
				|| !clientPrincipal.isAuthenticated()) {
			throw error(OAuth2ErrorCodes.INVALID_CLIENT, null);
		}
		RegisteredClient client = clientPrincipal.getRegisteredClient();
		if (!client.getAuthorizationGrantTypes().contains(TOKEN_EXCHANGE)) {
			throw error(OAuth2ErrorCodes.UNAUTHORIZED_CLIENT, "This client is not registered for token exchange");
		}
		Set<String> scopes = request.scopes.isEmpty() ? client.getScopes() : request.scopes;
		if (!client.getScopes().containsAll(scopes)) {
			throw error(OAuth2ErrorCodes.INVALID_SCOPE, null);
		}
		WechatApp app = this.wechat.apps().find(request.appid).orElse(null);
		if (app == null || !app.kind().nativeApp()) {
			throw error(OAuth2ErrorCodes.INVALID_REQUEST,
					"appid must name a WeChat mobile or mini-program app configured on this gateway");
		}
		// before WeChat is called: a login refused for consent must not burn the person's code
		PrivacyPolicy policy = acceptedPolicy(request.policyVersion);
		UserAccount user = this.accounts.signIn(identify(app, request.code));
		this.consents.record(new ConsentRecords.Decision(user.id(), policy, List.of("login", "account-security"),
				List.of("wechat-identifiers", "wechat-profile"), null, ConsentRecords.State.GIVEN, "general",
				"native-app"));
		this.events.publishEvent(LoginAttempted.succeeded("wechat", app.appid(), user.id(), null));
		Map<String, Object> extra = new java.util.HashMap<>();
		extra.put("issued_token_type", ACCESS_TOKEN_TYPE);
		if (request.phoneCode != null) {
			extra.put("phone_binding", bindPhone(app, user, request.phoneCode));
		}
		return this.issuer.issue(clientPrincipal, user, "wechat", new LinkedHashSet<>(scopes), TOKEN_EXCHANGE, request,
				extra);
	}

	/**
	 * Native apps show the policy themselves and say which version the person accepted; a missing or
	 * outdated one is {@code consent_required}, naming the version to show.
	 */
	private PrivacyPolicy acceptedPolicy(String version) {
		PrivacyPolicy current = this.policies.current();
		if (version != null && this.policies.stillAccepted(version)) {
			return this.policies.version(version).orElseThrow();
		}
		throw new OAuth2ErrorWithParameters(new OAuth2Error("consent_required",
				version == null ? "policy_version is required: show the privacy policy and send the version accepted"
						: "The privacy policy changed: show the current version and ask again",
				null), Map.of("policy_version", current.version(), "policy_uri", this.policyUri));
	}

	private ExternalIdentity identify(WechatApp app, String code) {
		try {
			return this.wechat.identify(new WechatConnector.Proof(app, code));
		}
		catch (SnapshotUserException ex) {
			throw error(OAuth2ErrorCodes.ACCESS_DENIED, "A WeChat snapshot-page user cannot sign in");
		}
		catch (WechatException ex) {
			this.events.publishEvent(LoginAttempted.failed("wechat", app.appid(), WechatFailures.cause(ex),
					WechatFailures.detail(ex), null));
			if (ex instanceof WechatApiException api) {
				throw mapped(api);
			}
			log.warn("WeChat code exchange for {} failed: {}", app.appid(), ex.getMessage());
			throw error("temporarily_unavailable", "WeChat login is not available right now");
		}
	}

	private static OAuth2AuthenticationException mapped(WechatApiException ex) {
		log.warn("WeChat code exchange failed: {}", ex.getMessage());
		if (ex.codeRejected()) {
			return error(OAuth2ErrorCodes.INVALID_GRANT, "The WeChat code is invalid, expired or already used");
		}
		if (ex.errcode() == 40226) {
			return error(OAuth2ErrorCodes.ACCESS_DENIED, "WeChat refused this user's login (risk control)");
		}
		return error("temporarily_unavailable", "WeChat login is not available right now");
	}

	/** Binds the mini program user's phone; never merges silently with another account that has it. */
	private String bindPhone(WechatApp app, UserAccount user, String phoneCode) {
		if (app.kind() != WechatAppKind.MINI_PROGRAM) {
			return "not_applicable";
		}
		try {
			String phone = this.wechat.miniProgramPhone(app, phoneCode);
			return switch (this.accounts.link(user.id(), new IdentityKey("phone", phone), "wechat-mini-program")) {
				case LINKED, ALREADY_LINKED -> "bound";
				case CONFLICT -> "conflict";
			};
		}
		catch (WechatException ex) {
			log.warn("Could not read the mini program user's phone: {}", ex.getMessage());
			return "failed";
		}
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
	}

}
