package dev.tongxing.server.account;

import java.util.List;
import java.util.Optional;

/**
 * The ways to sign in, as the account page shows them: which method an identity belongs to and how it is
 * shown, and which methods may be added. The account package knows no method by name; the login package
 * answers this from the connectors' declarations.
 */
public interface SignInMethods {

	/** The method whose logins create identities in this namespace; empty for one no connector declares. */
	Optional<Method> methodOf(String provider);

	/** The methods that may be added to an account, each once the account has none of its identities. */
	List<Link> links();

	/** The message key naming a login method ({@code LoginAttempted.method}), e.g. in the person's sign-in history. */
	default Optional<String> labelKeyOfMethod(String method) {
		return Optional.empty();
	}

	/**
	 * @param id the method ({@code LoginAttempted.method}), which groups identities when {@code oneEntry}
	 * @param labelKey message key of its entry
	 * @param oneEntry all of a person's identities of this method are one entry, removed together
	 * @param detail the display-safe detail of an identity key
	 */
	record Method(String id, String labelKey, boolean oneEntry, java.util.function.Function<String, String> detail) {
	}

	/**
	 * @param provider the identity namespace this method creates (a user who has it is offered no link, unless
	 * {@code repeatable})
	 * @param action the page hook ({@code data-action}), {@code bind-<provider>} by default
	 * @param repeatable offered also to a user who has some already
	 * @param changeLabelKey message key of the link offered, to the same {@code href}, to a user who has one
	 * (to change it), or null for none
	 * @param changeAction that link's page hook
	 */
	record Link(String provider, String labelKey, String href, String action, boolean repeatable,
			String changeLabelKey, String changeAction) {

		public Link(String provider, String labelKey, String href, String action, boolean repeatable) {
			this(provider, labelKey, href, action, repeatable, null, null);
		}

		public Link(String provider, String labelKey, String href) {
			this(provider, labelKey, href, "bind-" + provider, false);
		}
	}

}
