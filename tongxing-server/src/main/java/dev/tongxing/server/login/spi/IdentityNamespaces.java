package dev.tongxing.server.login.spi;

import java.util.Set;
import java.util.function.Function;

/**
 * The identity namespaces a connector's logins create, and how the account page shows them.
 *
 * @param providers the namespaces ({@code IdentityKey.provider}) this connector owns
 * @param oneEntry all of a person's identities in these namespaces are one way to sign in, shown and
 * removed as one (a WeChat UnionID and every app's openid); otherwise each identity is its own entry
 * @param detail the display-safe detail of an identity, from its key (a masked phone number); never the
 * raw key of a namespace that is personal data
 */
public record IdentityNamespaces(Set<String> providers, boolean oneEntry, Function<String, String> detail) {

	public IdentityNamespaces {
		providers = Set.copyOf(providers);
	}

	/** One namespace, each identity its own entry, with no detail. */
	public static IdentityNamespaces of(String provider) {
		return new IdentityNamespaces(Set.of(provider), false, key -> "");
	}

	public boolean owns(String provider) {
		return this.providers.contains(provider);
	}

}
