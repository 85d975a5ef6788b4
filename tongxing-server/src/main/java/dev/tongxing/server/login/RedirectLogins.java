package dev.tongxing.server.login;

import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.ExternalIdentity;
import dev.tongxing.server.login.spi.ConnectorFailure;
import dev.tongxing.server.oidc.OidcProperties;
import dev.tongxing.server.login.spi.RedirectConnector;
import dev.tongxing.server.login.spi.RedirectConnector.Answer;
import dev.tongxing.server.login.spi.RedirectConnector.Authorization;
import dev.tongxing.server.login.spi.RedirectConnector.Begin;
import dev.tongxing.server.login.spi.RedirectConnector.Callback;
import dev.tongxing.server.login.spi.RedirectConnector.Purpose;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.server.ResponseStatusException;

/**
 * The login broker's browser side: the two pages of every {@link RedirectConnector}, {@code /login/<path>}
 * (sends the browser upstream) and {@code /login/<path>/callback} (takes the answer). The broker owns the login
 * state (saved only once the upstream's URL is known, bound to the browser, taken once), the failure records
 * and their log lines, linking an identity to the signed-in account, and the completion through the gates;
 * a connector only translates. A path names a connector by its id, {@code wechat} or {@code oidc/<id>}; a path no
 * redirect connector serves is not found. Literal pages under {@code /login/} (the help form, the phone login)
 * are more specific than these patterns and keep their own controllers.
 */
@Controller
public class RedirectLogins {

	private static final Logger log = LoggerFactory.getLogger(RedirectLogins.class);

	/** The broker's attribute of a pending login: {@link Purpose}. Connectors keep their own beside it. */
	static final String PURPOSE = "purpose";

	private final Connectors connectors;

	private final PendingLogins pendingLogins;

	private final LoginCompletion completion;

	private final AccountService accounts;

	private final AccountLinking linking;

	private final String issuer;

	RedirectLogins(Connectors connectors, PendingLogins pendingLogins, LoginCompletion completion,
			AccountService accounts, AccountLinking linking, OidcProperties gateway) {
		this.connectors = connectors;
		this.pendingLogins = pendingLogins;
		this.completion = completion;
		this.accounts = accounts;
		this.linking = linking;
		this.issuer = gateway.issuer();
	}

	@GetMapping({ "/login/{kind}", "/login/{kind}/{instance}" })
	String begin(@PathVariable String kind, @PathVariable(required = false) String instance,
			HttpServletRequest request) {
		return begin(connector(kind, instance), Purpose.LOGIN, request);
	}

	@GetMapping({ "/login/{kind}/callback", "/login/{kind}/{instance}/callback" })
	String callback(@PathVariable String kind, @PathVariable(required = false) String instance,
			HttpServletRequest request, HttpServletResponse response) {
		return callback(connector(kind, instance), request, response);
	}

	/**
	 * Sends the browser to the connector's upstream, for a sign-in or to add the method to the signed-in
	 * person's account (a connector's own account-page link, such as {@code /account/wechat}, begins here).
	 * @return the view: a redirect
	 */
	public String begin(RedirectConnector connector, Purpose purpose, HttpServletRequest request) {
		String state = PendingLogins.newState();
		Authorization authorization;
		try {
			authorization = connector.authorize(new Begin(request, state, callbackUri(connector), purpose));
		}
		catch (ConnectorFailure failure) {
			return failed(connector, null, failure, request);
		}
		Map<String, String> attributes = new HashMap<>(authorization.attributes());
		attributes.put(PURPOSE, purpose.name());
		// saved only once the upstream's URL is known: an outage leaves no rows behind
		this.pendingLogins.save(state, connector.id(), authorization.app(), attributes, request);
		return "redirect:" + authorization.location();
	}

	private String callback(RedirectConnector connector, HttpServletRequest request, HttpServletResponse response) {
		Optional<PendingLogins.PendingLogin> pending = this.pendingLogins.take(request.getParameter("state"),
				connector.id(), request);
		if (pending.isEmpty()) {
			return failed(connector, null, new ConnectorFailure(LoginFailureCause.STATE_INVALID, null,
					"unknown, used, expired or foreign state", null), request);
		}
		Map<String, String> attributes = new HashMap<>(pending.get().attributes());
		Purpose purpose = purpose(attributes.remove(PURPOSE));
		Callback callback = new Callback(request, callbackUri(connector), pending.get().app(), Map.copyOf(attributes),
				purpose);
		Answer answer;
		try {
			answer = connector.callback(callback);
		}
		catch (ConnectorFailure failure) {
			return failed(connector, pending.get().app(), failure, request);
		}
		return switch (answer) {
			case Answer.Page page -> page.view();
			case Answer.Identified identified -> signIn(connector, callback, identified, request, response);
		};
	}

	private String signIn(RedirectConnector connector, Callback callback, Answer.Identified identified,
			HttpServletRequest request, HttpServletResponse response) {
		ExternalIdentity identity = identified.identity();
		if (callback.purpose() == Purpose.BIND) {
			Authentication current = SecurityContextHolder.getContext().getAuthentication();
			if (current == null || !current.isAuthenticated() || current instanceof AnonymousAuthenticationToken) {
				return "redirect:/login";
			}
			String what = identity.profile().displayName() != null ? identity.profile().displayName()
					: connector.displayName();
			return "redirect:" + this.linking.link(current.getName(), identity.keys(), connector.id(), what,
					request.getSession(false));
		}
		if (identified.unlessKnown() != null
				&& identity.keys().stream().allMatch(key -> this.accounts.userFor(key).isEmpty())) {
			return "redirect:" + identified.unlessKnown();
		}
		String next = this.completion.complete(identity, callback.app(), request, response);
		connector.signedIn(callback, response);
		return "redirect:" + next;
	}

	/** Records the failure and sends the browser back to the login page, which says what happened in words. */
	private String failed(RedirectConnector connector, String app, ConnectorFailure failure, HttpServletRequest request) {
		LoginFailureCause cause = failure.failureCause();
		this.completion.failed(connector.id(), app, cause,
				failure.upstreamError() == null ? null : failure.upstreamError().text(), request);
		if (cause == LoginFailureCause.USER_CANCELLED || cause == LoginFailureCause.STATE_INVALID) {
			log.info("Login through '{}' not completed ({}): {}", connector.id(), cause, failure.getMessage());
		}
		else {
			log.warn("Login through '{}' failed ({}): {}", connector.id(), cause, failure.getMessage());
		}
		return "redirect:/login?error=" + connector.loginError(failure);
	}

	private RedirectConnector connector(String kind, String instance) {
		String path = instance == null ? kind : kind + "/" + instance;
		return this.connectors.all()
			.stream()
			.filter(RedirectConnector.class::isInstance)
			.map(RedirectConnector.class::cast)
			.filter(c -> c.path().equals(path))
			.findFirst()
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND));
	}

	private URI callbackUri(RedirectConnector connector) {
		return URI.create(this.issuer + "/login/" + connector.path() + "/callback");
	}

	/** Logins begun before the broker kept a purpose were WeChat's, with its lower-case values. */
	private static Purpose purpose(String value) {
		return value != null && value.equalsIgnoreCase("bind") ? Purpose.BIND : Purpose.LOGIN;
	}

}
