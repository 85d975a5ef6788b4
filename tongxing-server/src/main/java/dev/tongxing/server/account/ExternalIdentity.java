package dev.tongxing.server.account;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * A person as an upstream login knows them: the one type every connector maps into.
 *
 * @param method the login method that proved it ({@code wechat}, {@code phone}, {@code oidc:corp}, {@code dev})
 * @param keys what identifies the person upstream, strongest first: for WeChat the UnionID (when the app
 * has one) and then the app's (appid, openid). Any key already linked to a user finds that user.
 * @param profile what the upstream says about the person; display data only, never a key
 */
public record ExternalIdentity(String method, List<IdentityKey> keys, Profile profile) implements Serializable {

	public ExternalIdentity {
		Objects.requireNonNull(method, "method");
		if (keys == null || keys.isEmpty()) {
			throw new IllegalArgumentException("An external identity needs at least one key");
		}
		keys = List.copyOf(keys);
		profile = profile == null ? Profile.EMPTY : profile;
	}

	/** A single-key identity, e.g. a phone number or a test user. */
	public ExternalIdentity(String provider, String providerKey, String displayName) {
		this(provider, List.of(new IdentityKey(provider, providerKey)), new Profile(displayName, null, null));
	}

	/**
	 * One way of recognising a person.
	 *
	 * @param provider the key's namespace, e.g. {@code wechat-union}, {@code wechat-open}, {@code phone}
	 * @param key the value, unique within the namespace
	 */
	public record IdentityKey(String provider, String key) implements Serializable {

		public IdentityKey {
			if (provider == null || provider.isBlank() || key == null || key.isBlank()) {
				throw new IllegalArgumentException("An identity key needs a provider and a value");
			}
		}

		/** Never the key itself: a phone number or an openid must not reach a log through a message. */
		@Override
		public String toString() {
			return "IdentityKey[" + this.provider + "]";
		}
	}

	/**
	 * @param displayName a name to show (e.g. a WeChat nickname); never used as a key, since they collide
	 * @param pictureUrl an avatar URL
	 * @param verifiedPhone an E.164 phone number the upstream has verified, if any
	 */
	public record Profile(String displayName, String pictureUrl, String verifiedPhone) implements Serializable {

		public static final Profile EMPTY = new Profile(null, null, null);

		/** Never the values: they are personal data. */
		@Override
		public String toString() {
			return "Profile[name " + (this.displayName != null) + ", picture " + (this.pictureUrl != null) + ", phone "
					+ (this.verifiedPhone != null) + "]";
		}
	}

}
