package dev.tongxing.server.login.spi;

import java.util.List;
import java.util.Optional;

/**
 * One way to sign in, as the core sees it — the only type by which the login page, the account page,
 * operations and the token-exchange grant know a connector (in the spirit of Dex's connectors and Keycloak's
 * identity-provider factories). A connector is a Spring bean implementing {@link RedirectConnector} or
 * {@link NativeConnector} (or both: WeChat takes browser redirects and app codes); one that stands for
 * several configured upstreams (one per OpenID Connect provider) contributes them through
 * {@link ConnectorSource}. Everything here is declared data: no part of the core parses a connector's names.
 */
public interface Connector extends ConnectorSource {

	/** The login method: {@code wechat}, {@code phone}, {@code oidc:<id>}; stable, used in events and records. */
	String id();

	/** Its button on the login page and its entry on the account page. */
	Labels labels();

	/** Whether it is configured to take logins now (an unconfigured connector offers nothing). */
	default boolean enabled() {
		return true;
	}

	/** A plain-words notice (message key) while it is failing, which also moves it below the working ones. */
	default Optional<String> degradedNotice() {
		return Optional.empty();
	}

	/** Which identity namespaces ({@code ExternalIdentity.IdentityKey.provider}) its logins create. */
	IdentityNamespaces identities();

	/** Offer, on the account page, to add this method to an account that lacks it; empty when it cannot. */
	default Optional<AccountLink> accountLink() {
		return Optional.empty();
	}

	/** What its own error codes mean and what an operator should do about them. */
	default FailureAdvice failureAdvice() {
		return FailureAdvice.NONE;
	}

	/** Cheap, harmless calls that show whether its upstreams answer. */
	default List<Probe> probes() {
		return List.of();
	}

	/** The metric tags its login attempts are counted under. */
	default MetricLabels metricLabels() {
		return new MetricLabels(id());
	}

	/**
	 * What is wrong with its configuration, each a sentence naming the setting; the gateway refuses to start
	 * while any connector reports one.
	 */
	default List<String> configurationProblems() {
		return List.of();
	}

	/** Its button on the login page, while it is enabled. */
	default List<dev.tongxing.server.login.LoginMethod> loginMethods() {
		if (!enabled()) {
			return List.of();
		}
		Labels labels = labels();
		return List.of(new dev.tongxing.server.login.LoginMethod(id(), labels.loginKey(), labels.loginHref(),
				labels.order(), degradedNotice().orElse(null), null, labels.icon()));
	}

	@Override
	default List<Connector> connectors() {
		return List.of(this);
	}

	/**
	 * @param loginKey message key of the login-page button (zh-CN and English in the message bundles)
	 * @param accountKey message key of the account-page entry
	 * @param icon a path under {@code /static} for the button's icon ({@code /images/…}, public), or null
	 * @param loginHref where the login-page button leads
	 * @param order position on the login page, lowest first
	 */
	record Labels(String loginKey, String accountKey, String icon, String loginHref, int order) {
	}

	/**
	 * @param provider the identity namespace the link adds (an account that has it is offered no link, unless
	 * {@code repeatable})
	 * @param labelKey message key of the link
	 * @param href where it leads
	 * @param action the page hook, {@code data-action}; {@code bind-<provider>} unless said otherwise
	 * @param repeatable offered also to an account that has some already (a person may add several passkeys)
	 * @param changeLabelKey message key of the link offered, to the same {@code href}, to an account that has
	 * one (to change it, e.g. the phone number), or null for none
	 * @param changeAction that link's page hook, {@code data-action}
	 */
	record AccountLink(String provider, String labelKey, String href, String action, boolean repeatable,
			String changeLabelKey, String changeAction) {

		public AccountLink(String provider, String labelKey, String href, String action, boolean repeatable) {
			this(provider, labelKey, href, action, repeatable, null, null);
		}

		public AccountLink(String provider, String labelKey, String href) {
			this(provider, labelKey, href, "bind-" + provider, false);
		}
	}

	/** Tags for the metrics of this connector's logins. */
	record MetricLabels(String method) {
	}

}
