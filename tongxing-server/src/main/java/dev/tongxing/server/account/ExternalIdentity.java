package dev.tongxing.server.account;

/**
 * A person as an upstream login knows them.
 *
 * @param provider the upstream login method, e.g. {@code wechat}, {@code phone}, {@code dev}
 * @param providerKey what identifies the person at that upstream (never shown to clients)
 * @param displayName a name to show, if the upstream gives one; never used as a key
 */
public record ExternalIdentity(String provider, String providerKey, String displayName) {

	public ExternalIdentity {
		if (provider == null || provider.isBlank() || providerKey == null || providerKey.isBlank()) {
			throw new IllegalArgumentException("An external identity needs a provider and a key");
		}
	}

}
