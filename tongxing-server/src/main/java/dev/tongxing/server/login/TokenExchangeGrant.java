package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.login.spi.NativeConnector;
import dev.tongxing.server.login.spi.NativeLoginException;
import dev.tongxing.server.oidc.TokenGrantExtension;
import dev.tongxing.server.oidc.UserTokenIssuer;
import jakarta.servlet.http.HttpServletRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
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
import org.springframework.stereotype.Component;
import org.springframework.util.StringUtils;

/**
 * Native login at the token endpoint, for every native connector: an app hands over the code its upstream's
 * SDK gave it as an OAuth 2.0 Token Exchange (RFC 8693) request — {@code subject_token} = the code,
 * {@code subject_token_type} = the connector's type (e.g. {@code urn:tongxing:token-type:wechat-code}),
 * plus the connector's own parameters (WeChat: {@code appid}, {@code phone_code}) and the gates'
 * ({@code policy_version}) — and receives the gateway's own tokens. The same steps as a browser login, in
 * the same order: gates, upstream, one account, the {@link LoginAttempted} event with the app's address,
 * then tokens.
 */
@Component
class TokenExchangeGrant implements TokenGrantExtension {

	private static final Logger log = LoggerFactory.getLogger(TokenExchangeGrant.class);

	static final AuthorizationGrantType TOKEN_EXCHANGE = AuthorizationGrantType.TOKEN_EXCHANGE;

	static final String ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token";

	private final Connectors connectors;

	private final AccountService accounts;

	private final UserTokenIssuer issuer;

	private final ApplicationEventPublisher events;

	private final List<NativeLoginGate> gates;

	TokenExchangeGrant(Connectors connectors, AccountService accounts, UserTokenIssuer issuer,
			ApplicationEventPublisher events, List<NativeLoginGate> gates) {
		this.connectors = connectors;
		this.accounts = accounts;
		this.issuer = issuer;
		this.events = events;
		// in their native order (the policy first), whatever order the browser steps need
		this.gates = gates.stream().sorted(java.util.Comparator.comparingInt(NativeLoginGate::nativeOrder)).toList();
	}

	/** A parsed request: immutable, validated as far as parsing can. */
	static final class Request extends AbstractAuthenticationToken {

		final Authentication client;

		final NativeConnector connector;

		final String subjectToken;

		final Set<String> scopes;

		final Map<String, String> parameters;

		final String clientIp;

		Request(Authentication client, NativeConnector connector, String subjectToken, Set<String> scopes,
				Map<String, String> parameters, String clientIp) {
			super(List.of());
			this.client = client;
			this.connector = connector;
			this.subjectToken = subjectToken;
			this.scopes = scopes;
			this.parameters = Map.copyOf(parameters);
			this.clientIp = clientIp;
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
			if (!TOKEN_EXCHANGE.getValue().equals(request.getParameter("grant_type"))) {
				return null;
			}
			String type = request.getParameter("subject_token_type");
			NativeConnector connector = type == null ? null : this.connectors.nativeFor(type).orElse(null);
			if (connector == null) {
				return null; // not ours: another token-exchange flavour
			}
			String subjectToken = single(request, "subject_token", true);
			Map<String, String> parameters = new LinkedHashMap<>();
			connector.parameters().forEach((name, required) -> put(parameters, name, single(request, name, required)));
			String scope = single(request, "scope", false);
			for (NativeLoginGate gate : this.gates) {
				gate.parameters().forEach(name -> put(parameters, name, single(request, name, false)));
			}
			Set<String> scopes = scope == null ? Set.of() : new LinkedHashSet<>(List.of(scope.trim().split("\\s+")));
			// RFC 6749 §3.3 scope tokens; anything else (a control character, say) is no scope at all
			if (scopes.stream().anyMatch(s -> !s.matches("[\\x21\\x23-\\x5B\\x5D-\\x7E]+"))) {
				throw error(OAuth2ErrorCodes.INVALID_SCOPE, "scope is not a list of scope tokens (RFC 6749 §3.3)");
			}
			Authentication client = SecurityContextHolder.getContext().getAuthentication();
			return new Request(client, connector, subjectToken, scopes, parameters, request.getRemoteAddr());
		};
	}

	private static void put(Map<String, String> parameters, String name, String value) {
		if (value != null) {
			parameters.put(name, value);
		}
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
		NativeConnector connector = request.connector;
		String app = refusable(() -> connector.app(request.parameters));
		// before the upstream is called: a login refused at a gate must not burn the person's code
		List<Consumer<UserAccount>> admitted = new ArrayList<>();
		for (NativeLoginGate gate : this.gates) {
			admitted.add(gate.admit(connector.id(), connector.dataCategories(request.parameters), request.parameters));
		}
		ExternalIdentity identity = identify(connector, app, request);
		UserAccount user = this.accounts.signIn(identity);
		admitted.forEach(step -> step.accept(user));
		this.events.publishEvent(LoginAttempted.succeeded(connector.id(), app, user.id(), request.clientIp));
		Map<String, Object> extra = new HashMap<>(connector.afterSignIn(user.id(), request.parameters));
		extra.put("issued_token_type", ACCESS_TOKEN_TYPE);
		return this.issuer.issue(clientPrincipal, user, connector.id(), new LinkedHashSet<>(scopes), TOKEN_EXCHANGE,
				request, extra);
	}

	private ExternalIdentity identify(NativeConnector connector, String app, Request request) {
		try {
			return refusable(() -> connector.identify(request.subjectToken, request.parameters));
		}
		catch (ConnectorFailure failure) {
			this.events.publishEvent(LoginAttempted.failed(connector.id(), app, failure.failureCause(),
					failure.upstreamError() == null ? null : failure.upstreamError().text(), request.clientIp));
			log.warn("{} code exchange for {} failed: {}", connector.displayName(), app, failure.getMessage());
			String name = connector.displayName();
			throw switch (failure.failureCause()) {
				case CODE_EXPIRED_OR_REUSED, USER_INPUT ->
					error(OAuth2ErrorCodes.INVALID_GRANT, "The " + name + " code is invalid, expired or already used");
				case RISK_CONTROL -> error(OAuth2ErrorCodes.ACCESS_DENIED, name + " refused this user's login (risk control)");
				default -> error("temporarily_unavailable", name + " login is not available right now");
			};
		}
	}

	private static <T> T refusable(java.util.function.Supplier<T> call) {
		try {
			return call.get();
		}
		catch (NativeLoginException refused) {
			throw error(refused.errorCode(), refused.getMessage());
		}
	}

	private static OAuth2AuthenticationException error(String code, String description) {
		return new OAuth2AuthenticationException(new OAuth2Error(code, description, null));
	}

}
