package dev.tongxing.server.account;

import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.crypto.PersonalDataCipher;
import org.springframework.context.ApplicationEventPublisher;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Accounts in the database, personal data sealed: identity keys (phone numbers, openids, UnionIDs) are stored
 * as a keyed lookup hash plus a sealed copy, display names and avatars sealed, link-event hints keyed.
 */
@Service
class JdbcAccountService implements AccountService {

	private static final Logger log = LoggerFactory.getLogger(JdbcAccountService.class);

	private static final SecureRandom RANDOM = new SecureRandom();

	/** The namespace of verified phone numbers; its key is the E.164 number. */
	static final String PHONE = "phone";

	private final JdbcClient jdbc;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final AuditLog audit;

	private final ApplicationEventPublisher events;

	private final PersonalDataCipher cipher;

	private final org.springframework.beans.factory.ObjectProvider<IdentifierRecycling> recycling;

	private final io.micrometer.core.instrument.MeterRegistry meters;

	/** For the bulk inserts of {@link #createImportedAll} (JdbcClient has no batches). */
	private final org.springframework.jdbc.core.JdbcTemplate batch;

	JdbcAccountService(JdbcClient jdbc, TransactionTemplate tx, Clock clock, AuditLog audit,
			ApplicationEventPublisher events, PersonalDataCipher cipher,
			org.springframework.beans.factory.ObjectProvider<IdentifierRecycling> recycling,
			io.micrometer.core.instrument.MeterRegistry meters, org.springframework.jdbc.core.JdbcTemplate batch) {
		this.batch = batch;
		this.recycling = recycling;
		this.meters = meters;
		this.events = events;
		this.cipher = cipher;
		this.jdbc = jdbc;
		this.tx = tx;
		this.clock = clock;
		this.audit = audit;
	}

	@Override
	public UserAccount signIn(ExternalIdentity identity) {
		try {
			return this.tx.execute(status -> signInOnce(identity));
		}
		catch (DuplicateKeyException raced) {
			// Another node linked one of these keys at the same moment: it is there now.
			return this.tx.execute(status -> signInOnce(identity));
		}
	}

	private UserAccount signInOnce(ExternalIdentity identity) {
		OffsetDateTime now = now();
		List<IdentityKey> proven = proven(identity);
		for (IdentityKey key : proven) {
			recycledBinding(key, proven).ifPresent(stale -> release(key, stale, identity.method()));
		}
		Set<String> owners = new LinkedHashSet<>(); // strongest key's owner first
		for (IdentityKey key : identity.keys()) {
			userFor(key).ifPresent(owners::add);
		}
		String userId;
		if (owners.isEmpty()) {
			userId = newId();
			this.jdbc.sql("""
					INSERT INTO account_user (id, display_name, picture_url, status, created_at)
					VALUES (:id, :name, :pic, :st, :at)""")
				.param("id", userId)
				.param("name", this.cipher.seal(identity.profile().displayName()))
				.param("pic", this.cipher.seal(identity.profile().pictureUrl()))
				.param("st", AccountStatus.ACTIVE.code())
				.param("at", now)
				.update();
			record(userId, AccountChangeKind.CREATE, null, null, null, identity.method());
		}
		else {
			List<String> found = new ArrayList<>(owners);
			userId = found.get(0);
			for (String weaker : found.subList(1, found.size())) {
				// e.g. the (appid, openid) user of an app that has just been bound to the open platform
				log.info("Merging account {} into {}: a stronger key of the same person appeared", weaker, userId);
				mergeInTransaction(userId, weaker, identity.method());
			}
			refreshProfile(userId, identity.profile());
		}
		for (IdentityKey key : identity.keys()) {
			if (userFor(key).isEmpty()) {
				insertIdentity(userId, key, now);
				record(userId, AccountChangeKind.LINK, key.provider(), hint(key), null, identity.method());
			}
		}
		if (identity.profile().verifiedPhone() != null) {
			IdentityKey phone = new IdentityKey(PHONE, identity.profile().verifiedPhone());
			if (userFor(phone).isEmpty()) {
				insertIdentity(userId, phone, now);
				record(userId, AccountChangeKind.LINK, PHONE, hint(phone), null, identity.method());
			}
		}
		for (IdentityKey key : identity.keys()) {
			this.jdbc.sql("UPDATE account_identity SET last_login_at = :now WHERE provider = :p AND provider_key_hash = :h")
				.param("now", now)
				.param("p", key.provider())
				.param("h", lookupHash(key))
				.update();
		}
		if (identity.profile().pictureUrl() != null) {
			// the avatar this way in brought, for the person's choice among them
			for (IdentityKey key : identity.keys()) {
				this.jdbc.sql("UPDATE account_identity SET picture_sealed = :pic WHERE provider = :p AND provider_key_hash = :h")
					.param("pic", this.cipher.seal(identity.profile().pictureUrl()))
					.param("p", key.provider())
					.param("h", lookupHash(key))
					.update();
			}
			followChosenPicture(userId);
		}
		return find(userId).orElseThrow();
	}

	/** Every key the sign-in proves: its own, and the phone number its upstream verified. */
	private static List<IdentityKey> proven(ExternalIdentity identity) {
		List<IdentityKey> keys = new ArrayList<>(identity.keys());
		if (identity.profile().verifiedPhone() != null) {
			IdentityKey phone = new IdentityKey(PHONE, identity.profile().verifiedPhone());
			if (!keys.contains(phone)) {
				keys.add(phone);
			}
		}
		return keys;
	}

	@Override
	public boolean wouldCreate(ExternalIdentity identity) {
		List<IdentityKey> proven = proven(identity);
		return identity.keys()
			.stream()
			.allMatch(key -> userFor(key).isEmpty() || recycledBinding(key, proven).isPresent());
	}

	/** A key's binding to an account, and why it is stale. */
	private record StaleBinding(String userId, IdentifierRecycling.Recycled recycled) {
	}

	/**
	 * Whether the account that holds this key must let it go: a recycling judge says the key has passed to someone
	 * else. Never when the same sign-in also proves another key of that account (its holder is the one signing
	 * in, e.g. WeChat bringing the account's own number).
	 */
	private Optional<StaleBinding> recycledBinding(IdentityKey key, List<IdentityKey> proven) {
		List<IdentifierRecycling> judges = this.recycling.orderedStream().filter(r -> r.covers(key.provider())).toList();
		if (judges.isEmpty()) {
			return Optional.empty();
		}
		Optional<Map.Entry<String, Instant>> binding = this.jdbc
			.sql("SELECT user_id, created_at FROM account_identity WHERE provider = :p AND provider_key_hash = :h")
			.param("p", key.provider())
			.param("h", lookupHash(key))
			.query((rs, i) -> Map.entry(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant()))
			.optional();
		if (binding.isEmpty()) {
			return Optional.empty();
		}
		String owner = binding.get().getKey();
		for (IdentityKey other : proven) {
			if (!other.equals(key) && userFor(other).filter(owner::equals).isPresent()) {
				return Optional.empty();
			}
		}
		IdentifierRecycling.Binding bound = new IdentifierRecycling.Binding(owner, binding.get().getValue(),
				lastSignIn(owner));
		for (IdentifierRecycling judge : judges) {
			Optional<IdentifierRecycling.Recycled> recycled = judge.recycled(key, bound);
			if (recycled.isPresent()) {
				return Optional.of(new StaleBinding(owner, recycled.get()));
			}
		}
		return Optional.empty();
	}

	/** The account's last sign-in by any of its ways in; a way never used counts from when it was added. */
	private Instant lastSignIn(String userId) {
		return this.jdbc.sql("""
				SELECT MAX(COALESCE(last_login_at, created_at)) FROM account_identity WHERE user_id = :u""")
			.param("u", userId)
			.query((rs, i) -> Optional.ofNullable(rs.getObject(1, OffsetDateTime.class)))
			.single()
			.map(OffsetDateTime::toInstant)
			.orElseGet(() -> find(userId).map(UserAccount::createdAt).orElse(Instant.EPOCH));
	}

	/**
	 * Takes a recycled key from the account that held it, in the caller's transaction: the key row goes (the
	 * prover's account gets it next), the old account keeps everything else and a record of what it lost (its
	 * page says so), and the change is audited and published ({@link IdentifierRecycled}: its apps hear
	 * {@code identifier-recycled}). Nothing of the old account is shown to the prover.
	 */
	private void release(IdentityKey key, StaleBinding stale, String method) {
		int removed = this.jdbc
			.sql("DELETE FROM account_identity WHERE user_id = :u AND provider = :p AND provider_key_hash = :h")
			.param("u", stale.userId())
			.param("p", key.provider())
			.param("h", lookupHash(key))
			.update();
		if (removed == 0) {
			return; // another node released it a moment ago
		}
		followChosenPicture(stale.userId());
		this.jdbc.sql("""
				INSERT INTO account_released_identifier (id, user_id, provider, shown_as_sealed, reason, released_at)
				VALUES (:id, :u, :p, :shown, :reason, :at)""")
			.param("id", newId())
			.param("u", stale.userId())
			.param("p", key.provider())
			.param("shown", this.cipher.seal(stale.recycled().shownAs()))
			.param("reason", stale.recycled().reason())
			.param("at", now())
			.update();
		log.info("A recycled {} identifier left account {} ({})", key.provider(), stale.userId(),
				stale.recycled().reason());
		this.audit.record(AuditEntry.of(AuditTypes.ACCOUNT_IDENTIFIER_RECYCLED)
			.actor("system")
			.subject(stale.userId())
			.detail("provider", key.provider())
			.detail("reason", stale.recycled().reason())
			.detail("method", method));
		// in the account's history an unlink, as the key is gone from it; its listeners learn why
		record(stale.userId(), AccountChangeKind.UNLINK, key.provider(), hint(key), null, method);
		this.events.publishEvent(new IdentifierRecycled(stale.userId(), key.provider(), stale.recycled().reason()));
		Runnable count = () -> this.meters.counter("tongxing.account.identifier.recycled", "provider", key.provider(),
				"reason", stale.recycled().reason()).increment();
		// counted once the move is kept: a sign-in that rolls back (a race, a crash) and is tried again moved nothing
		if (org.springframework.transaction.support.TransactionSynchronizationManager.isSynchronizationActive()) {
			org.springframework.transaction.support.TransactionSynchronizationManager
				.registerSynchronization(new org.springframework.transaction.support.TransactionSynchronization() {
					@Override
					public void afterCommit() {
						count.run();
					}
				});
		}
		else {
			count.run();
		}
	}

	@Override
	public boolean releaseIfRecycled(IdentityKey key, String method) {
		return Boolean.TRUE.equals(this.tx.execute(status -> {
			Optional<StaleBinding> stale = recycledBinding(key, List.of(key));
			stale.ifPresent(binding -> release(key, binding, method));
			return stale.isPresent();
		}));
	}

	@Override
	public List<ReleasedIdentifier> releasedIdentifiers(String userId) {
		return this.jdbc.sql("""
				SELECT provider, shown_as_sealed, reason, released_at FROM account_released_identifier WHERE user_id = :u
				ORDER BY released_at DESC, id""")
			.param("u", userId)
			.query((rs, i) -> new ReleasedIdentifier(rs.getString(1), this.cipher.open(rs.getString(2)), rs.getString(3),
					rs.getObject(4, OffsetDateTime.class).toInstant()))
			.list();
	}

	@Override
	public void correctDisplayName(String userId, String name, String actor) {
		String corrected = name == null ? "" : name.strip();
		if (corrected.isEmpty() || corrected.codePointCount(0, corrected.length()) > 40
				|| corrected.codePoints().anyMatch(Character::isISOControl)) {
			throw new IllegalArgumentException("a display name is 1 to 40 characters, without control characters");
		}
		int updated = this.jdbc.sql("""
				UPDATE account_user SET display_name = :n, name_corrected_at = :now WHERE id = :id AND status = :active""")
			.param("n", this.cipher.seal(corrected))
			.param("now", now())
			.param("id", userId)
			.param("active", AccountStatus.ACTIVE.code())
			.update();
		if (updated == 1) {
			this.audit.record(AuditEntry.of(dev.tongxing.server.audit.AuditTypes.ACCOUNT_NAME_CORRECTED)
				.actor(actor)
				.subject(userId));
		}
	}

	private void refreshProfile(String userId, ExternalIdentity.Profile profile) {
		if (profile.displayName() != null) {
			// a name the person corrected stays theirs
			this.jdbc.sql("UPDATE account_user SET display_name = :n WHERE id = :id AND name_corrected_at IS NULL")
				.param("n", this.cipher.seal(profile.displayName()))
				.param("id", userId)
				.update();
		}
		if (profile.pictureUrl() != null) {
			// a picture the person chose stays theirs (followChosenPicture keeps it up to date)
			this.jdbc.sql("UPDATE account_user SET picture_url = :p WHERE id = :id AND picture_choice IS NULL")
				.param("p", this.cipher.seal(profile.pictureUrl()))
				.param("id", userId)
				.update();
		}
	}

	/**
	 * The account's picture again from the way in it was chosen from (which may have brought a new one), or none
	 * when that way in is gone; nothing when the person never chose.
	 */
	private void followChosenPicture(String userId) {
		String choice = this.jdbc.sql("SELECT picture_choice FROM account_user WHERE id = :id")
			.param("id", userId)
			.query((rs, i) -> Optional.ofNullable(rs.getString(1)))
			.optional()
			.flatMap(c -> c)
			.orElse(null);
		if (choice == null || PictureChoices.NONE.equals(choice)) {
			return;
		}
		String sealed = this.jdbc.sql("SELECT picture_sealed FROM account_identity WHERE id = :i AND user_id = :u")
			.param("i", choice)
			.param("u", userId)
			.query((rs, i) -> Optional.ofNullable(rs.getString(1)))
			.optional()
			.flatMap(c -> c)
			.orElse(null);
		if (sealed == null) {
			// the chosen way in was removed (or moved away): its avatar goes with it, nothing else takes its place
			this.jdbc.sql("UPDATE account_user SET picture_url = NULL, picture_choice = :none WHERE id = :u")
				.param("none", PictureChoices.NONE)
				.param("u", userId)
				.update();
			return;
		}
		this.jdbc.sql("UPDATE account_user SET picture_url = :p WHERE id = :u")
			.param("p", this.cipher.seal(this.cipher.open(sealed)))
			.param("u", userId)
			.update();
	}

	@Override
	public PictureChoices pictureChoices(String userId) {
		List<PictureOption> all = this.jdbc.sql("""
				SELECT id, provider, picture_sealed FROM account_identity
				WHERE user_id = :u AND picture_sealed IS NOT NULL ORDER BY created_at, provider, id""")
			.param("u", userId)
			.query((rs, i) -> new PictureOption(rs.getString(1), rs.getString(2), this.cipher.open(rs.getString(3))))
			.list();
		String chosen = this.jdbc.sql("SELECT picture_choice FROM account_user WHERE id = :id")
			.param("id", userId)
			.query((rs, i) -> Optional.ofNullable(rs.getString(1)))
			.optional()
			.flatMap(c -> c)
			.orElse(PictureChoices.LATEST);
		// one option per distinct picture (a WeChat UnionID and its apps' openids bring the same one); the chosen
		// link stands for its picture
		Map<String, PictureOption> byPicture = new java.util.LinkedHashMap<>();
		for (PictureOption option : all) {
			byPicture.merge(option.pictureUrl(), option, (kept, other) -> other.identityId().equals(chosen) ? other : kept);
		}
		return new PictureChoices(List.copyOf(byPicture.values()), chosen);
	}

	@Override
	public Map<String, String> identityPictures(String userId) {
		Map<String, String> pictures = new java.util.LinkedHashMap<>();
		this.jdbc.sql("SELECT id, picture_sealed FROM account_identity WHERE user_id = :u AND picture_sealed IS NOT NULL")
			.param("u", userId)
			.query((rs, i) -> Map.entry(rs.getString(1), this.cipher.open(rs.getString(2))))
			.list()
			.forEach(e -> pictures.put(e.getKey(), e.getValue()));
		return pictures;
	}

	@Override
	public void choosePicture(String userId, String choice) {
		this.tx.executeWithoutResult(status -> {
			String provider;
			String sealed;
			if (PictureChoices.NONE.equals(choice)) {
				provider = null;
				sealed = null;
			}
			else {
				Map.Entry<String, String> identity = this.jdbc.sql("""
						SELECT provider, picture_sealed FROM account_identity
						WHERE id = :i AND user_id = :u AND picture_sealed IS NOT NULL""")
					.param("i", choice == null ? "" : choice)
					.param("u", userId)
					.query((rs, i) -> Map.entry(rs.getString(1), rs.getString(2)))
					.optional()
					.orElseThrow(() -> new IllegalArgumentException("not an avatar of this account's ways in"));
				provider = identity.getKey();
				sealed = this.cipher.seal(this.cipher.open(identity.getValue()));
			}
			int updated = this.jdbc.sql("""
					UPDATE account_user SET picture_url = :p, picture_choice = :c, picture_chosen_at = :now
					WHERE id = :id AND status = :active""")
				.param("p", sealed)
				.param("c", choice)
				.param("now", now())
				.param("id", userId)
				.param("active", AccountStatus.ACTIVE.code())
				.update();
			if (updated == 1) {
				this.audit.record(AuditEntry.of(AuditTypes.ACCOUNT_PICTURE_CHOSEN)
					.actor("user:" + userId)
					.subject(userId)
					.detail("provider", provider == null ? PictureChoices.NONE : provider));
			}
		});
	}

	@Override
	public String createImported(List<IdentityKey> keys, ExternalIdentity.Profile profile, Instant createdAt,
			Instant lastLoginAt, String method) {
		if (keys.isEmpty()) {
			throw new IllegalArgumentException("An account needs at least one way to sign in");
		}
		return this.tx.execute(status -> {
			String userId = newId();
			this.jdbc.sql("""
					INSERT INTO account_user (id, display_name, picture_url, status, created_at)
					VALUES (:id, :name, :pic, :st, :at)""")
				.param("id", userId)
				.param("name", this.cipher.seal(profile.displayName()))
				.param("pic", this.cipher.seal(profile.pictureUrl()))
				.param("st", AccountStatus.ACTIVE.code())
				.param("at", createdAt.atOffset(ZoneOffset.UTC))
				.update();
			record(userId, AccountChangeKind.CREATE, null, null, null, method);
			for (IdentityKey key : keys) {
				insertIdentity(userId, key, createdAt.atOffset(ZoneOffset.UTC));
				record(userId, AccountChangeKind.LINK, key.provider(), hint(key), null, method);
			}
			if (lastLoginAt != null) {
				this.jdbc.sql("UPDATE account_identity SET last_login_at = :at WHERE user_id = :u")
					.param("at", lastLoginAt.atOffset(ZoneOffset.UTC))
					.param("u", userId)
					.update();
			}
			return userId;
		});
	}

	@Override
	public List<String> createImportedAll(List<ImportedAccount> people, String method) {
		for (ImportedAccount person : people) {
			if (person.keys().isEmpty()) {
				throw new IllegalArgumentException("An account needs at least one way to sign in");
			}
		}
		if (people.isEmpty()) {
			return List.of();
		}
		return this.tx.execute(status -> {
			List<String> ids = new ArrayList<>(people.size());
			List<Object[]> users = new ArrayList<>();
			List<Object[]> identities = new ArrayList<>();
			List<Object[]> history = new ArrayList<>();
			List<AccountChanged> changes = new ArrayList<>(); // for the audit log: as record() writes each
			List<AccountsCreated.Created> made = new ArrayList<>();
			OffsetDateTime now = now();
			for (ImportedAccount person : people) {
				String userId = newId();
				ids.add(userId);
				OffsetDateTime created = person.createdAt().atOffset(ZoneOffset.UTC);
				OffsetDateTime lastLogin = person.lastLoginAt() == null ? null
						: person.lastLoginAt().atOffset(ZoneOffset.UTC);
				users.add(new Object[] { userId, this.cipher.seal(person.profile().displayName()),
						this.cipher.seal(person.profile().pictureUrl()), AccountStatus.ACTIVE.code(), created });
				history.add(new Object[] { newId(), userId, AccountChangeKind.CREATE.code(), null, null, null, method, now });
				changes.add(new AccountChanged(userId, AccountChangeKind.CREATE, null, null, method));
				made.add(new AccountsCreated.Created(userId, person.keys().stream().map(IdentityKey::provider).toList()));
				for (IdentityKey key : person.keys()) {
					identities.add(new Object[] { newId(), userId, key.provider(), lookupHash(key),
							this.cipher.seal(key.key()), created, lastLogin });
					history.add(new Object[] { newId(), userId, AccountChangeKind.LINK.code(), key.provider(), hint(key),
							null, method, now });
					changes.add(new AccountChanged(userId, AccountChangeKind.LINK, key.provider(), null, method));
				}
			}
			this.batch.batchUpdate("""
					INSERT INTO account_user (id, display_name, picture_url, status, created_at) VALUES (?, ?, ?, ?, ?)""",
					users);
			this.batch.batchUpdate("""
					INSERT INTO account_identity (id, user_id, provider, provider_key_hash, provider_key_sealed, created_at,
					last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?)""", identities);
			this.batch.batchUpdate("""
					INSERT INTO account_link_event (id, user_id, kind, provider, key_hint, other_user_id, method, occurred_at)
					VALUES (?, ?, ?, ?, ?, ?, ?, ?)""", history);
			// the audit entries record() writes for each change, and one event for the batch, in this transaction
			for (AccountChanged change : changes) {
				audit(change.userId(), change.kind(), change.provider(), null, method);
			}
			this.events.publishEvent(new AccountsCreated(List.copyOf(made), method));
			return ids;
		});
	}

	@Override
	public Map<IdentityKey, String> usersFor(java.util.Collection<IdentityKey> keys) {
		// by namespace: the unique index is (provider, provider_key_hash)
		Map<String, Map<String, IdentityKey>> byProvider = new java.util.TreeMap<>();
		keys.forEach(key -> byProvider.computeIfAbsent(key.provider(), p -> new HashMap<>()).put(lookupHash(key), key));
		Map<IdentityKey, String> owners = new HashMap<>();
		byProvider.forEach((provider, byHash) -> {
			List<String> hashes = List.copyOf(byHash.keySet());
			for (int from = 0; from < hashes.size(); from += 500) {
				this.jdbc.sql("""
						SELECT provider_key_hash, user_id FROM account_identity
						WHERE provider = :p AND provider_key_hash IN (:h)""")
					.param("p", provider)
					.param("h", hashes.subList(from, Math.min(hashes.size(), from + 500)))
					.query(rs -> {
						owners.put(byHash.get(rs.getString(1)), rs.getString(2));
					});
			}
		});
		return owners;
	}

	@Override
	public Set<String> existingAccounts(java.util.Collection<String> userIds) {
		Set<String> found = new java.util.HashSet<>();
		List<String> ids = List.copyOf(new LinkedHashSet<>(userIds));
		for (int from = 0; from < ids.size(); from += 500) {
			found.addAll(this.jdbc.sql("SELECT id FROM account_user WHERE id IN (:ids)")
				.param("ids", ids.subList(from, Math.min(ids.size(), from + 500)))
				.query(String.class)
				.list());
		}
		return found;
	}

	@Override
	public List<UserAccount> activeAccounts(UserAccount after, int limit) {
		String afterClause = after == null ? "" : " AND (created_at > :c OR (created_at = :c AND id > :id))";
		var query = this.jdbc.sql("SELECT id, display_name, status, created_at, picture_url FROM account_user"
				+ " WHERE status = :st" + afterClause + " ORDER BY created_at, id FETCH FIRST " + limit + " ROWS ONLY")
			.param("st", AccountStatus.ACTIVE.code());
		if (after != null) {
			query = query.param("c", after.createdAt().atOffset(ZoneOffset.UTC)).param("id", after.id());
		}
		return query
			.query((rs, i) -> new UserAccount(rs.getString(1), this.cipher.open(rs.getString(2)),
					AccountStatus.of(rs.getString(3)), rs.getObject(4, OffsetDateTime.class).toInstant(),
					this.cipher.open(rs.getString(5))))
			.list();
	}

	@Override
	public Optional<UserAccount> find(String userId) {
		return this.jdbc.sql("SELECT id, display_name, status, created_at, picture_url FROM account_user WHERE id = :id")
			.param("id", userId)
			.query((rs, i) -> new UserAccount(rs.getString(1), this.cipher.open(rs.getString(2)),
					AccountStatus.of(rs.getString(3)),
					rs.getObject(4, OffsetDateTime.class).toInstant(), this.cipher.open(rs.getString(5))))
			.optional();
	}

	@Override
	public Optional<AccountStatus> status(String userId) {
		return this.jdbc.sql("SELECT status FROM account_user WHERE id = :id")
			.param("id", userId)
			.query(String.class)
			.optional()
			.map(AccountStatus::of);
	}

	@Override
	public Optional<String> userFor(IdentityKey key) {
		return this.jdbc.sql("SELECT user_id FROM account_identity WHERE provider = :p AND provider_key_hash = :h")
			.param("p", key.provider())
			.param("h", lookupHash(key))
			.query(String.class)
			.optional();
	}

	@Override
	public List<LinkedIdentity> identities(String userId) {
		return this.jdbc.sql("""
				SELECT id, provider, provider_key_sealed, created_at, last_login_at FROM account_identity
				WHERE user_id = :u ORDER BY created_at, provider""")
			.param("u", userId)
			.query((rs, i) -> new LinkedIdentity(rs.getString(1), rs.getString(2), this.cipher.open(rs.getString(3)),
					rs.getObject(4, OffsetDateTime.class).toInstant(), instant(rs.getObject(5, OffsetDateTime.class))))
			.list();
	}

	@Override
	public LinkResult link(String userId, IdentityKey key, String method) {
		return this.tx.execute(status -> {
			recycledBinding(key, List.of(key)).filter(stale -> !stale.userId().equals(userId))
				.ifPresent(stale -> release(key, stale, method));
			Optional<String> owner = userFor(key);
			if (owner.isPresent()) {
				return owner.get().equals(userId) ? LinkResult.ALREADY_LINKED : LinkResult.CONFLICT;
			}
			insertIdentity(userId, key, now());
			record(userId, AccountChangeKind.LINK, key.provider(), hint(key), null, method);
			return LinkResult.LINKED;
		});
	}

	@Override
	public void merge(String intoUserId, String fromUserId, String method) {
		if (intoUserId.equals(fromUserId)) {
			return;
		}
		this.tx.executeWithoutResult(status -> mergeInTransaction(intoUserId, fromUserId, method));
	}

	private void mergeInTransaction(String into, String from, String method) {
		this.jdbc.sql("UPDATE account_identity SET user_id = :into WHERE user_id = :from")
			.param("into", into)
			.param("from", from)
			.update();
		this.jdbc.sql("UPDATE account_user SET status = :st, merged_into = :into WHERE id = :from")
			.param("st", AccountStatus.MERGED.code())
			.param("into", into)
			.param("from", from)
			.update();
		record(into, AccountChangeKind.MERGE_IN, null, null, from, method);
		record(from, AccountChangeKind.MERGED_INTO, null, null, into, method);
	}

	@Override
	public void unlink(String userId, java.util.Collection<IdentityKey> keys) {
		this.tx.executeWithoutResult(status -> {
			for (IdentityKey key : keys) {
				int removed = this.jdbc
					.sql("DELETE FROM account_identity WHERE user_id = :u AND provider = :p AND provider_key_hash = :h")
					.param("u", userId)
					.param("p", key.provider())
					.param("h", lookupHash(key))
					.update();
				if (removed > 0) {
					record(userId, AccountChangeKind.UNLINK, key.provider(), hint(key), null, null);
				}
			}
			long left = this.jdbc.sql("SELECT COUNT(*) FROM account_identity WHERE user_id = :u")
				.param("u", userId)
				.query(Long.class)
				.single();
			if (left == 0) {
				throw new LastLoginMethodException(); // rolls the whole removal back
			}
			followChosenPicture(userId);
		});
	}

	@Override
	public void erase(String userId) {
		this.tx.executeWithoutResult(status -> {
			this.jdbc.sql("DELETE FROM account_identity WHERE user_id = :u").param("u", userId).update();
			this.jdbc.sql("DELETE FROM account_released_identifier WHERE user_id = :u").param("u", userId).update();
			// the keyed hints would still tie the erased user to a phone number or openid
			this.jdbc.sql("UPDATE account_link_event SET key_hint = NULL WHERE user_id = :u").param("u", userId).update();
			this.jdbc.sql("""
					UPDATE account_user SET display_name = NULL, picture_url = NULL, picture_choice = NULL, status = :st
					WHERE id = :u""")
				.param("st", AccountStatus.ERASED.code())
				.param("u", userId)
				.update();
			// the accounts merged into this one are the same person: their old profiles and hints go too
			for (String merged : withMergedInto(userId)) {
				if (!merged.equals(userId)) {
					this.jdbc.sql("UPDATE account_user SET display_name = NULL, picture_url = NULL WHERE id = :u")
						.param("u", merged)
						.update();
					this.jdbc.sql("UPDATE account_link_event SET key_hint = NULL WHERE user_id = :u")
						.param("u", merged)
						.update();
				}
			}
			record(userId, AccountChangeKind.ERASE, null, null, null, null);
		});
	}

	/** The user and every account merged into it, directly or through another merged one. */
	@Override
	public Set<String> withMergedAccounts(String userId) {
		return withMergedInto(userId);
	}

	private Set<String> withMergedInto(String userId) {
		Set<String> all = new LinkedHashSet<>(List.of(userId));
		List<String> frontier = List.of(userId);
		while (!frontier.isEmpty()) {
			List<String> next = new ArrayList<>();
			for (String id : frontier) {
				this.jdbc.sql("SELECT id FROM account_user WHERE merged_into = :u")
					.param("u", id)
					.query(String.class)
					.list()
					.stream()
					.filter(all::add)
					.forEach(next::add);
			}
			frontier = next;
		}
		return all;
	}

	@Override
	public Map<String, Object> claims(String userId, Set<String> scopes) {
		Map<String, Object> claims = new HashMap<>();
		if (scopes.contains("profile")) {
			find(userId).ifPresent(user -> {
				if (user.displayName() != null) {
					claims.put("name", user.displayName());
				}
				if (user.pictureUrl() != null) {
					claims.put("picture", user.pictureUrl());
				}
			});
		}
		if (scopes.contains("phone")) {
			this.jdbc.sql("SELECT provider_key_sealed FROM account_identity WHERE user_id = :u AND provider = :p")
				.param("u", userId)
				.param("p", PHONE)
				.query(String.class)
				.optional()
				.map(this.cipher::open)
				.ifPresent(phone -> {
					claims.put("phone_number", phone);
					claims.put("phone_number_verified", true);
				});
		}
		return claims;
	}

	private void insertIdentity(String userId, IdentityKey key, OffsetDateTime now) {
		this.jdbc.sql("""
				INSERT INTO account_identity (id, user_id, provider, provider_key_hash, provider_key_sealed, created_at)
				VALUES (:id, :user, :p, :h, :k, :at)""")
			.param("id", newId())
			.param("user", userId)
			.param("p", key.provider())
			.param("h", lookupHash(key))
			.param("k", this.cipher.seal(key.key()))
			.param("at", now)
			.update();
	}

	private void record(String userId, AccountChangeKind kind, String provider, String keyHint, String otherUser,
			String method) {
		this.jdbc.sql("""
				INSERT INTO account_link_event (id, user_id, kind, provider, key_hint, other_user_id, method, occurred_at)
				VALUES (:id, :u, :kind, :p, :hint, :other, :m, :at)""")
			.param("id", newId())
			.param("u", userId)
			.param("kind", kind.code())
			.param("p", provider)
			.param("hint", keyHint)
			.param("other", otherUser)
			.param("m", method)
			.param("at", now())
			.update();
		audit(userId, kind, provider, otherUser, method);
		// in the same transaction, so a listener's own writes (e.g. an outbox row) commit with the change
		this.events.publishEvent(new AccountChanged(userId, kind, provider, otherUser, method));
	}

	/** The same change in the audit log, in the same transaction: both are kept, or neither. */
	private void audit(String userId, AccountChangeKind kind, String provider, String otherUser, String method) {
		String type = switch (kind) {
			case CREATE -> AuditTypes.ACCOUNT_CREATED;
			case LINK -> AuditTypes.ACCOUNT_LINKED;
			case UNLINK -> AuditTypes.ACCOUNT_UNLINKED;
			case MERGE_IN -> AuditTypes.ACCOUNT_MERGED;
			case ERASE -> AuditTypes.ACCOUNT_ERASED;
			case MERGED_INTO -> null; // the other half of a merge, one entry tells both
		};
		if (type != null) {
			// the provider, never the key: keys are phone numbers and openids
			this.audit.record(AuditEntry.of(type)
				.actor("user:" + userId)
				.subject(userId)
				.detail("provider", provider)
				.detail("method", method)
				.detail("merged_from", otherUser));
		}
	}

	/** A short keyed reference to a key for the event log (keys are personal data, and guessable). */
	private String hint(IdentityKey key) {
		return IdentityKeyHashes.hint(this.cipher, key);
	}

	private String lookupHash(IdentityKey key) {
		return IdentityKeyHashes.lookup(this.cipher, key);
	}

	private OffsetDateTime now() {
		return Instant.now(this.clock).atOffset(ZoneOffset.UTC);
	}

	private static Instant instant(OffsetDateTime value) {
		return value == null ? null : value.toInstant();
	}

	private static String newId() {
		byte[] bytes = new byte[16];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
