package dev.tongxing.server.connector.oidc;

import java.text.MessageFormat;
import java.util.Locale;
import org.springframework.context.HierarchicalMessageSource;
import org.springframework.context.MessageSource;
import org.springframework.context.support.AbstractMessageSource;
import org.springframework.stereotype.Component;

/**
 * Texts that name a configured provider. The login page takes message keys only (a button's label, the
 * error of a failed login), but provider names come from configuration, not from a bundle: this source
 * answers {@code oidc-upstream.method.<id>} ("Sign in with <name>") and {@code login.error.oidc.<id>.<reason>}
 * ("<name> cannot be reached right now…") from the {@code oidc-upstream.*} templates in the bundle. It hangs
 * below the application's message source as its parent, which is asked only for keys the bundles lack; it
 * is not a bean itself, so that {@code MessageSource} stays unambiguous for injection.
 */
@Component
class UpstreamLabels {

	private static final String PREFIX = "oidc-upstream.method.";

	private static final String ERROR_PREFIX = "login.error.oidc.";

	UpstreamLabels(MessageSource messages, OidcUpstreams upstreams) {
		if (messages instanceof HierarchicalMessageSource hierarchical) {
			Labels labels = new Labels(messages, upstreams);
			labels.setParentMessageSource(hierarchical.getParentMessageSource());
			hierarchical.setParentMessageSource(labels);
		}
	}

	static String labelKey(String upstreamId) {
		return PREFIX + upstreamId;
	}

	/** The login page's {@code error} parameter for a failed login: {@code oidc.<id>.<reason>}. */
	static String errorCode(String upstreamId, UpstreamLoginFailure.Reason reason) {
		return ERROR_PREFIX.substring("login.error.".length()) + upstreamId + "." + reason.code();
	}

	private static final class Labels extends AbstractMessageSource {

		private final MessageSource messages;

		private final OidcUpstreams upstreams;

		Labels(MessageSource messages, OidcUpstreams upstreams) {
			this.messages = messages;
			this.upstreams = upstreams;
		}

		@Override
		protected String resolveCodeWithoutArguments(String code, Locale locale) {
			if (code.startsWith(PREFIX)) {
				return text("oidc-upstream.method", code.substring(PREFIX.length()), locale);
			}
			if (code.startsWith(ERROR_PREFIX)) {
				String rest = code.substring(ERROR_PREFIX.length());
				int dot = rest.lastIndexOf('.');
				return dot < 0 ? null
						: text("oidc-upstream.failure." + rest.substring(dot + 1), rest.substring(0, dot), locale);
			}
			return null;
		}

		/** The bundle's template filled with the provider's name, or null for an unknown provider or template. */
		private String text(String template, String upstreamId, Locale locale) {
			return this.upstreams.find(upstreamId).map(upstream -> {
				Object[] name = { upstream.definition().displayName(locale) };
				return this.messages.getMessage(template, name, null, locale);
			}).orElse(null);
		}

		@Override
		protected MessageFormat resolveCode(String code, Locale locale) {
			String text = resolveCodeWithoutArguments(code, locale);
			return text == null ? null : new MessageFormat(text.replace("'", "''").replace("{", "'{'"), locale);
		}

	}

}
