package dev.tongxing.server.connector.oidc;

import java.text.MessageFormat;
import java.util.Locale;
import org.springframework.context.HierarchicalMessageSource;
import org.springframework.context.MessageSource;
import org.springframework.context.NoSuchMessageException;
import org.springframework.context.support.AbstractMessageSource;
import org.springframework.stereotype.Component;

/**
 * Button texts for the configured providers. A login method names its text by message key, but these names
 * come from configuration, not from a bundle: this source answers {@code oidc-upstream.method.<id>} with
 * "Sign in with <display name>" and is hung below the application's message source (as its parent, which
 * is asked only for keys the bundles lack). It is not a bean itself, so that {@code MessageSource} stays
 * unambiguous for injection.
 */
@Component
class UpstreamLabels {

	private static final String PREFIX = "oidc-upstream.method.";

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

	private static final class Labels extends AbstractMessageSource {

		private final MessageSource messages;

		private final OidcUpstreams upstreams;

		Labels(MessageSource messages, OidcUpstreams upstreams) {
			this.messages = messages;
			this.upstreams = upstreams;
		}

		@Override
		protected String resolveCodeWithoutArguments(String code, Locale locale) {
			if (!code.startsWith(PREFIX)) {
				return null;
			}
			return this.upstreams.find(code.substring(PREFIX.length()))
				.map(upstream -> label(upstream.definition().displayName(locale), locale))
				.orElse(null);
		}

		@Override
		protected MessageFormat resolveCode(String code, Locale locale) {
			String text = resolveCodeWithoutArguments(code, locale);
			return text == null ? null : new MessageFormat(text.replace("'", "''").replace("{", "'{'"), locale);
		}

		private String label(String displayName, Locale locale) {
			try {
				return this.messages.getMessage("oidc-upstream.method", new Object[] { displayName }, locale);
			}
			catch (NoSuchMessageException ex) {
				return displayName;
			}
		}

	}

}
