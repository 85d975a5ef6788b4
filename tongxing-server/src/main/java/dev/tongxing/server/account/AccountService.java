package dev.tongxing.server.account;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** What other packages may ask of accounts. */
public interface AccountService {

	/**
	 * Resolves an external identity to its one user, in one transaction (a crash never leaves a user without
	 * its identity):
	 * <ul>
	 * <li>no key known: a new user with all the keys;</li>
	 * <li>keys of one user: that user, with the keys it lacked linked (e.g. a UnionID appearing for an app
	 * that had none);</li>
	 * <li>keys of several users: only a stronger key (earlier in the list) may absorb a weaker one's user —
	 * the (appid, openid) user is merged into the UnionID user — and the merge is recorded.</li>
	 * </ul>
	 * A proven key that {@link IdentifierRecycling} judges recycled first leaves the account it was bound to (in
	 * the same transaction, published as {@link IdentifierRecycled}): the prover never enters that account.
	 */
	UserAccount signIn(ExternalIdentity identity);

	Optional<UserAccount> find(String userId);

	/**
	 * Whether {@link #signIn} with this identity makes a new account, so the questions for new people come first:
	 * none of its keys belongs to anyone, or those that do are recycled identifiers ({@link IdentifierRecycling})
	 * that leave their old accounts at the sign-in. Changes nothing.
	 */
	default boolean wouldCreate(ExternalIdentity identity) {
		return identity.keys().stream().allMatch(key -> userFor(key).isEmpty());
	}

	/**
	 * Judges a key's binding now, as a sign-in would (e.g. once the carrier said the number was recycled), and
	 * when it is stale takes the key from its account, in the caller's transaction when there is one.
	 * @return whether the key left an account
	 */
	default boolean releaseIfRecycled(ExternalIdentity.IdentityKey key, String method) {
		return false;
	}

	/**
	 * The identifiers this account lost because they had passed to someone else (a recycled phone number), newest
	 * first: what its owner is told on their account page.
	 */
	default List<ReleasedIdentifier> releasedIdentifiers(String userId) {
		return List.of();
	}

	/**
	 * The person's own correction of their display name (PIPL Art. 46): stored sealed, audited, and from then on
	 * kept over the nicknames their sign-ins bring.
	 * @throws IllegalArgumentException when the name is empty, too long (over 40 characters) or has control
	 * characters
	 */
	default void correctDisplayName(String userId, String name) {
		correctDisplayName(userId, name, "user:" + userId);
	}

	/**
	 * The same correction made by someone entitled to act for the person, e.g. the guardian of a child under 14
	 * ({@code guardian:…}, 未成年人网络保护条例 Art. 34), who is the audit entry's actor.
	 */
	default void correctDisplayName(String userId, String name, String actor) {
		throw new UnsupportedOperationException("this account store cannot correct names");
	}

	/**
	 * The avatars the person's ways to sign in brought (each at its last sign-in), one per distinct picture, and
	 * which one the gateway shows and releases as {@code picture}: what the person may choose among.
	 */
	default PictureChoices pictureChoices(String userId) {
		return new PictureChoices(List.of(), PictureChoices.LATEST);
	}

	/** The avatar each way in brought at its last sign-in, by the link's id ({@link LinkedIdentity#id()}). */
	default Map<String, String> identityPictures(String userId) {
		return Map.of();
	}

	/**
	 * The person's own choice of the avatar the gateway holds (PIPL Art. 46): the picture one of their linked ways
	 * to sign in brought ({@link PictureOption#identityId()}), or {@link PictureChoices#NONE}; never a URL of
	 * their own. Stored sealed, audited ({@code account.picture-chosen}, with the provider, never the URL), and
	 * kept over the pictures later sign-ins bring from other ways in.
	 * @throws IllegalArgumentException when the choice is not one of {@link #pictureChoices}
	 */
	default void choosePicture(String userId, String choice) {
		throw new UnsupportedOperationException("this account store cannot choose pictures");
	}

	/**
	 * @param options the distinct avatars of the linked ways in
	 * @param chosen {@link PictureChoices#LATEST} (never chosen: the latest sign-in's), {@link PictureChoices#NONE}
	 * or the identity id of the chosen option
	 */
	record PictureChoices(List<PictureOption> options, String chosen) {

		public static final String LATEST = "latest";

		public static final String NONE = "none";

	}

	/** @param identityId the link's own id (safe in a page); @param provider the way in it came from */
	record PictureOption(String identityId, String provider, String pictureUrl) {
	}

	/** The user's {@link UserAccount#status()} alone, without opening the sealed profile (asked per token). */
	Optional<AccountStatus> status(String userId);

	/**
	 * The user and every account ever merged into it (directly or through others): the ids its tokens and
	 * sessions may still carry from before a merge.
	 */
	Set<String> withMergedAccounts(String userId);

	/** The user a key belongs to, if any. */
	Optional<String> userFor(ExternalIdentity.IdentityKey key);

	/** The ways a user signs in. */
	List<LinkedIdentity> identities(String userId);

	/**
	 * Links a proven key to a signed-in user; a key another account holds that {@link IdentifierRecycling} judges
	 * recycled leaves that account first, as at {@link #signIn}.
	 * @return {@link LinkResult#CONFLICT} when the key belongs to another user: nothing is changed, and an
	 * explicit {@link #merge} (after proving both) is the way forward
	 */
	LinkResult link(String userId, ExternalIdentity.IdentityKey key, String method);

	/**
	 * Merges {@code fromUserId} into {@code intoUserId}: every identity moves, the merged user can no longer
	 * sign in. Call only after the person proved both accounts and confirmed.
	 */
	void merge(String intoUserId, String fromUserId, String method);

	/**
	 * Removes a way to sign in: all the keys given (e.g. a WeChat UnionID with its apps' openids).
	 * @throws LastLoginMethodException when nothing would be left to sign in with
	 */
	void unlink(String userId, java.util.Collection<ExternalIdentity.IdentityKey> keys);

	/**
	 * Erases a user for good (account deletion, 注销), in the caller's transaction when there is one: every way
	 * to sign in is released (the same WeChat or phone can later make a new, unrelated account), the profile is
	 * cleared, and the user stays only as an opaque id with status {@link UserAccount#ERASED}, so records that
	 * name it (audit, consent) still resolve to "an erased user" and nothing else.
	 */
	void erase(String userId);

	/**
	 * A new account for a person brought in from another system ({@code import users}), with all the keys
	 * given and the old system's times, in one transaction (the caller's, when there is one): sealed and
	 * recorded as {@link #signIn} does it. The caller has resolved the keys first ({@link #userFor}); one taken
	 * in the meantime fails the whole creation.
	 * @param createdAt when the person joined the old system
	 * @param lastLoginAt when they last signed in there, or null
	 * @param method how the account came to be, for its history (e.g. {@code import})
	 * @throws org.springframework.dao.DuplicateKeyException when a key already belongs to a user
	 */
	String createImported(java.util.List<ExternalIdentity.IdentityKey> keys, ExternalIdentity.Profile profile,
			java.time.Instant createdAt, java.time.Instant lastLoginAt, String method);

	/** A person for {@link #createImportedAll}: their keys (none held by an account) and the old system's data. */
	record ImportedAccount(java.util.List<ExternalIdentity.IdentityKey> keys, ExternalIdentity.Profile profile,
			java.time.Instant createdAt, java.time.Instant lastLoginAt) {
	}

	/**
	 * {@link #createImported} for many people at once, in the caller's transaction: the same rows, history and
	 * audit entries, written in a few batched statements instead of a dozen per person (a move-in of a million
	 * people), and one {@link AccountsCreated} event for them all instead of an {@link AccountChanged} per
	 * change. All or none.
	 * @return the new account ids, in the order given
	 * @throws org.springframework.dao.DuplicateKeyException when a key already belongs to a user
	 */
	List<String> createImportedAll(List<ImportedAccount> people, String method);

	/** {@link #userFor} for many keys in one query: the keys some account holds, with that account's id. */
	Map<ExternalIdentity.IdentityKey, String> usersFor(java.util.Collection<ExternalIdentity.IdentityKey> keys);

	/** Which of these are ids of accounts here (in any status). */
	Set<String> existingAccounts(java.util.Collection<String> userIds);

	/**
	 * Active accounts, oldest first, a page at a time (for exporting the whole tenant): those after the
	 * given one in (created, id) order, or the first when {@code after} is null.
	 */
	List<UserAccount> activeAccounts(UserAccount after, int limit);

	/** Standard OpenID Connect claims about the user that the given scopes allow. */
	Map<String, Object> claims(String userId, Set<String> scopes);

	/**
	 * @param shownAs the identifier as its former holder may see it (a masked number)
	 * @param reason why it was judged recycled ({@link IdentifierRecycling.Recycled#reason()})
	 */
	record ReleasedIdentifier(String provider, String shownAs, String reason, java.time.Instant releasedAt) {
	}

	enum LinkResult {

		LINKED, ALREADY_LINKED, CONFLICT

	}

	/** @param id the link's own id, safe to put in a page (the key itself is personal data) */
	record LinkedIdentity(String id, String provider, String key, java.time.Instant createdAt,
			java.time.Instant lastLoginAt) {

		public ExternalIdentity.IdentityKey identityKey() {
			return new ExternalIdentity.IdentityKey(this.provider, this.key);
		}
	}

	final class LastLoginMethodException extends RuntimeException {

		public LastLoginMethodException() {
			super("The last way to sign in cannot be removed");
		}

	}

}
