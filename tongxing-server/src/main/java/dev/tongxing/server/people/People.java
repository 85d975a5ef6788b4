package dev.tongxing.server.people;

import dev.tongxing.server.access.AccessRevocation;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.account.SignInMethods;
import dev.tongxing.server.account.UserAccount;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTrail;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.complaint.PersonComplaints;
import dev.tongxing.server.consent.ConsentRecords;
import dev.tongxing.server.deletion.AccountDeletion;
import dev.tongxing.server.deletion.DeletionRequest;
import dev.tongxing.server.export.PersonalDataExport;
import dev.tongxing.server.console.ConsoleOperator;
import dev.tongxing.server.oidc.UserAuthorizations;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Finding a person and reading what the gateway holds about them, for an operator who gave a reason, and the
 * support desk's actions for them. Every look-up and every view is first an audit entry
 * ({@code personal-data.read}) naming the operator and the reason; every action is audited with it too. A caller
 * who may not see personal data in clear ({@link ConsoleOperator#seesClear}) gets it masked.
 */
@Component
class People {

	/** An operator ended a person's sessions (and their apps' tokens): operator, reason, how many, which apps. */
	static final String SESSIONS_ENDED = "admin.people.sessions-ended";

	/** An operator started a person's deletion (注销): operator, reason, the request's id and due date. */
	static final String DELETION_STARTED = "admin.people.deletion-started";

	/** An operator removed a way in from a person's account: operator, reason, the providers removed. */
	static final String IDENTITY_UNLINKED = "admin.people.identity-unlinked";

	/** An operator merged one account into another: operator, reason, the account merged in. */
	static final String MERGED = "admin.people.merged";

	static final int MAX_REASON = 500;

	private static final int HISTORY_LIMIT = 50;

	/** How a person is looked for: each through a keyed lookup hash or the account's primary key. */
	enum Kind {

		PHONE("phone"), UNIONID("unionid"), OPENID("openid"), ACCOUNT("account");

		final String value;

		Kind(String value) {
			this.value = value;
		}

		static Optional<Kind> of(String value) {
			for (Kind kind : values()) {
				if (kind.value.equals(value)) {
					return Optional.of(kind);
				}
			}
			return Optional.empty();
		}

	}

	/** A search or view refused before anything was read; {@code key} is the message key of the reason. */
	static final class Refused extends RuntimeException {

		final String key;

		Refused(String key, String message) {
			super(message);
			this.key = key;
		}

	}

	private final AccountService accounts;

	private final AuditLog audit;

	private final AuditTrail trail;

	private final SignInMethods methods;

	private final ConsentRecords consents;

	private final UserAuthorizations authorizations;

	private final PersonComplaints complaints;

	private final AccessRevocation access;

	private final ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions;

	private final AccountDeletion deletion;

	private final PersonalDataExport export;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final Duration historyPeriod;

	People(AccountService accounts, AuditLog audit, AuditTrail trail, SignInMethods methods, ConsentRecords consents,
			UserAuthorizations authorizations, PersonComplaints complaints, AccessRevocation access,
			ObjectProvider<FindByIndexNameSessionRepository<? extends Session>> sessions, AccountDeletion deletion,
			PersonalDataExport export, TransactionTemplate tx, Clock clock,
			@Value("${tongxing.account.login-history:P90D}") Duration historyPeriod) {
		this.deletion = deletion;
		this.export = export;
		this.accounts = accounts;
		this.audit = audit;
		this.trail = trail;
		this.methods = methods;
		this.consents = consents;
		this.authorizations = authorizations;
		this.complaints = complaints;
		this.access = access;
		this.sessions = sessions;
		this.tx = tx;
		this.clock = clock;
		this.historyPeriod = historyPeriod;
	}

	/** The reason, stripped. @throws Refused when blank or longer than {@value #MAX_REASON} characters */
	static String reason(String reason) {
		if (reason == null || reason.isBlank() || reason.strip().length() > MAX_REASON) {
			throw new Refused("admin.people.error.reason",
					"reason is required (why this person's data is looked at, up to 500 characters)");
		}
		return reason.strip();
	}

	/**
	 * The account the value names, looked for by {@code kind} (an openid with its app's {@code appid}); the
	 * look-up, found or not, is first an audit entry with the reason.
	 * @throws Refused for a missing reason, an unknown kind or a malformed value, before anything is read
	 */
	Optional<String> find(String kindValue, String value, String appid, String reason, Principal operator) {
		String why = reason(reason);
		Kind kind = Kind.of(kindValue == null ? "" : kindValue.strip())
			.orElseThrow(() -> new Refused("admin.people.error.kind", "kind must be phone, unionid, openid or account"));
		String v = value == null ? "" : value.strip();
		if (v.isEmpty()) {
			throw new Refused("admin.people.error.value", "value is required");
		}
		Optional<String> user = switch (kind) {
			case PHONE -> {
				if (!v.matches("\\+[1-9][0-9]{6,14}")) {
					throw new Refused("admin.people.error.phone", "phone must be an E.164 number such as +8613800138000");
				}
				yield this.accounts.userFor(new IdentityKey("phone", v));
			}
			case UNIONID -> this.accounts.userFor(new IdentityKey("wechat-union", v));
			case OPENID -> {
				if (appid == null || appid.isBlank()) {
					throw new Refused("admin.people.error.appid", "an openid is looked up with its app's appid");
				}
				yield this.accounts.userFor(new IdentityKey("wechat-open", appid.strip() + ":" + v));
			}
			case ACCOUNT -> this.accounts.find(v).map(UserAccount::id);
		};
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor(actor(operator))
			.subject(user.orElse(null))
			.detail("purpose", "operator-lookup")
			.detail("looked_up_by", kind.value)
			.detail("found", Boolean.toString(user.isPresent()))
			.detail("masked", Boolean.toString(!ConsoleOperator.seesClear(operator)))
			.detail("reason", why));
		return user;
	}

	/**
	 * What the gateway holds about the person, as this operator may see it; the view is first an audit entry
	 * with the reason.
	 * @return empty (audited too) when no account has this id
	 */
	Optional<Person> view(String accountId, String reason, Principal operator) {
		String why = reason(reason);
		Optional<UserAccount> account = this.accounts.find(accountId);
		boolean clear = ConsoleOperator.seesClear(operator);
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor(actor(operator))
			.subject(account.map(UserAccount::id).orElse(null))
			.detail("purpose", "operator-view")
			.detail("found", Boolean.toString(account.isPresent()))
			.detail("masked", Boolean.toString(!clear))
			.detail("sections", "identities,consents,connected-apps,sign-ins,sessions,complaints")
			.detail("reason", why));
		if (account.isEmpty()) {
			return Optional.empty();
		}
		String id = account.get().id();
		AccountStatus status = this.accounts.status(id).orElse(AccountStatus.ACTIVE);
		List<Person.Identity> identities = this.accounts.identities(id)
			.stream()
			.map(i -> new Person.Identity(i.id(), i.provider(),
					this.methods.methodOf(i.provider()).map(SignInMethods.Method::labelKey).orElse(null),
					shown(clear, i.key()), i.createdAt(), i.lastLoginAt()))
			.toList();
		List<Person.Released> released = this.accounts.releasedIdentifiers(id)
			.stream()
			.map(r -> new Person.Released(r.provider(), r.shownAs(), r.reason(), r.releasedAt()))
			.toList();
		List<Person.Consent> consents = this.consents.history(id)
			.stream()
			.map(d -> new Person.Consent(d.recordedAt(), d.policyVersion(), d.purposes(), d.dataCategories(),
					d.recipientClient(), d.state().name(), d.method()))
			.toList()
			.reversed();
		Map<String, Person.App> apps = new LinkedHashMap<>();
		for (String each : this.accounts.withMergedAccounts(id)) {
			this.authorizations.connected(each)
				.forEach(app -> apps.merge(app.clientId(), new Person.App(app.clientId(), app.clientName(), app.since()),
						(a, b) -> a.since() != null ? a : b));
		}
		Instant since = this.clock.instant().minus(this.historyPeriod);
		List<Person.SignIn> signIns = this.trail
			.latest(id, List.of(AuditTypes.LOGIN_SUCCEEDED, AuditTypes.LOGIN_FAILED), since, HISTORY_LIMIT)
			.stream()
			.map(entry -> {
				String method = entry.details().get("method") instanceof String m ? m : "";
				String network = entry.details().get("network") instanceof String n ? n : "";
				return new Person.SignIn(entry.recordedAt(), method, this.methods.labelKeyOfMethod(method).orElse(null),
						network.isEmpty() ? network : shown(clear, network), AuditTypes.LOGIN_SUCCEEDED.equals(entry.type()));
			})
			.toList();
		List<Person.Complaint> complaints = this.complaints.of(id)
			.stream()
			.map(c -> new Person.Complaint(c.number(), c.state(), c.method(), c.openedAt(), c.firstResponseAt(),
					c.closedAt()))
			.toList()
			.reversed();
		Person.Deletion deletion = this.deletion.pending(id)
			.map(d -> new Person.Deletion(d.requestedAt(), d.dueAt()))
			.orElse(null);
		return Optional.of(new Person(id, status.code(), !clear, identities, released, consents,
				List.copyOf(apps.values()), signIns, this.historyPeriod.toDays(), sessions(id), complaints, deletion));
	}

	/** What {@link #endSessions} ended: the browser sessions and the apps whose tokens went. */
	record Ended(int sessions, List<String> clients) {
	}

	/**
	 * Ends every browser session of the person (and of the accounts merged into theirs) and every app's tokens,
	 * the apps told (back-channel logout, CAEP session-revoked), as the person's own "sign out everywhere" does;
	 * audited with the operator and the reason in the same transaction.
	 * @return empty when no active account has this id (nothing done)
	 */
	Optional<Ended> endSessions(String accountId, String reason, Principal operator) {
		String why = reason(reason);
		Optional<UserAccount> account = this.accounts.find(accountId);
		if (account.isEmpty() || this.accounts.status(account.get().id()).orElse(null) != AccountStatus.ACTIVE) {
			return Optional.empty();
		}
		String id = account.get().id();
		return Optional.of(this.tx.execute(status -> {
			AccessRevocation.Ended ended = this.access.endAll(id, AccessRevocation.Notice.SESSION_REVOKED, null);
			this.audit.record(AuditEntry.of(SESSIONS_ENDED)
				.actor(actor(operator))
				.subject(id)
				.detail("sessions", Integer.toString(ended.sessions()))
				.detail("clients", String.join(",", ended.clients()))
				.detail("reason", why));
			return new Ended(ended.sessions(), List.copyOf(ended.clients()));
		}));
	}

	/** A deletion started for the person, or the one already pending ({@code started} false: nothing done now). */
	record DeletionStarted(DeletionRequest request, boolean started) {
	}

	/**
	 * Starts the person's deletion (注销) for them, as their own request does: the cooling-off, the apps told
	 * ({@code account-disabled}, initiated by an admin), every session and token ended; the person may still
	 * cancel it by signing in during the cooling-off. Audited with the operator and the reason in the same
	 * transaction.
	 * @throws Refused without a reason or without the operator's explicit confirmation
	 * @return empty when no active account has this id (nothing done)
	 */
	Optional<DeletionStarted> startDeletion(String accountId, String reason, boolean confirmed, Principal operator) {
		String why = reason(reason);
		if (!confirmed) {
			throw new Refused("admin.people.error.confirm", "confirm is required: a deletion cannot be undone once due");
		}
		Optional<UserAccount> account = this.accounts.find(accountId);
		if (account.isEmpty() || this.accounts.status(account.get().id()).orElse(null) != AccountStatus.ACTIVE) {
			return Optional.empty();
		}
		String id = account.get().id();
		Optional<DeletionRequest> pending = this.deletion.pending(id);
		if (pending.isPresent()) {
			return Optional.of(new DeletionStarted(pending.get(), false));
		}
		return Optional.of(this.tx.execute(status -> {
			DeletionRequest request = this.deletion.request(id, actor(operator));
			this.audit.record(AuditEntry.of(DELETION_STARTED)
				.actor(actor(operator))
				.subject(id)
				.detail("request", request.id())
				.detail("due_at", request.dueAt().toString())
				.detail("reason", why));
			return new DeletionStarted(request, true);
		}));
	}

	/** What an unlink did: {@code removed} the providers whose keys went, or {@code last} (nothing changed). */
	record Unlinked(List<String> removed, boolean last) {
	}

	/**
	 * Removes one way in from the person's account as their own account page does: a method shown as one entry
	 * goes as a whole (WeChat: its UnionID and every app's openid), and never the last way in (nothing is changed
	 * then). Audited with the operator and the reason in the same transaction as the removal.
	 * @return empty when the account is not active or has no link with this id (nothing done)
	 */
	Optional<Unlinked> unlink(String accountId, String identityId, String reason, Principal operator) {
		String why = reason(reason);
		Optional<UserAccount> account = this.accounts.find(accountId);
		if (account.isEmpty() || this.accounts.status(account.get().id()).orElse(null) != AccountStatus.ACTIVE) {
			return Optional.empty();
		}
		String id = account.get().id();
		List<dev.tongxing.server.account.AccountService.LinkedIdentity> all = this.accounts.identities(id);
		Optional<dev.tongxing.server.account.AccountService.LinkedIdentity> chosen = all.stream()
			.filter(i -> i.id().equals(identityId))
			.findFirst();
		if (chosen.isEmpty()) {
			return Optional.empty();
		}
		Optional<String> wholeMethod = this.methods.methodOf(chosen.get().provider())
			.filter(SignInMethods.Method::oneEntry)
			.map(SignInMethods.Method::id);
		List<dev.tongxing.server.account.AccountService.LinkedIdentity> going = all.stream()
			.filter(i -> i.id().equals(identityId) || wholeMethod.isPresent() && this.methods.methodOf(i.provider())
				.filter(m -> m.oneEntry() && m.id().equals(wholeMethod.get()))
				.isPresent())
			.toList();
		List<String> providers = going.stream().map(i -> i.provider()).distinct().toList();
		try {
			this.tx.executeWithoutResult(status -> {
				this.accounts.unlink(id, going.stream().map(i -> i.identityKey()).toList());
				this.audit.record(AuditEntry.of(IDENTITY_UNLINKED)
					.actor(actor(operator))
					.subject(id)
					.detail("providers", String.join(",", providers))
					.detail("identities", Integer.toString(going.size()))
					.detail("reason", why));
			});
		}
		catch (dev.tongxing.server.account.AccountService.LastLoginMethodException last) {
			return Optional.of(new Unlinked(List.of(), true));
		}
		return Optional.of(new Unlinked(providers, false));
	}

	/** Why a merge was not made, as a message key; {@code null} when it was. */
	record Merge(String refusedKey) {
	}

	/**
	 * Merges {@code fromAccountId} into {@code intoAccountId} as the person's own confirmed merge does
	 * ({@link dev.tongxing.server.account.AccountService#merge}: every way in moves, the merged account no longer
	 * signs in, and its tokens and sessions still count as the person's): two distinct accounts, both active,
	 * neither with a deletion pending, and the operator's explicit confirmation. Audited with the operator and the
	 * reason in the merge's transaction.
	 * @throws Refused without a reason, without the confirmation, or without the other account's id
	 * @return empty when {@code intoAccountId} is no active account (nothing done)
	 */
	Optional<Merge> merge(String intoAccountId, String fromAccountId, String reason, boolean confirmed,
			Principal operator) {
		String why = reason(reason);
		if (fromAccountId == null || fromAccountId.isBlank()) {
			throw new Refused("admin.people.error.merge-from", "from is required: the id of the account to merge in");
		}
		if (!confirmed) {
			throw new Refused("admin.people.error.merge-confirm", "confirm is required: a merge cannot be undone");
		}
		Optional<UserAccount> into = this.accounts.find(intoAccountId);
		if (into.isEmpty() || this.accounts.status(into.get().id()).orElse(null) != AccountStatus.ACTIVE) {
			return Optional.empty();
		}
		Optional<UserAccount> from = this.accounts.find(fromAccountId.strip());
		if (from.isEmpty() || this.accounts.status(from.get().id()).orElse(null) != AccountStatus.ACTIVE) {
			return Optional.of(new Merge("admin.person.merge.not-active"));
		}
		String intoId = into.get().id();
		String fromId = from.get().id();
		if (intoId.equals(fromId)) {
			return Optional.of(new Merge("admin.person.merge.same"));
		}
		if (this.deletion.pending(intoId).isPresent() || this.deletion.pending(fromId).isPresent()) {
			return Optional.of(new Merge("admin.person.merge.deletion-pending"));
		}
		this.tx.executeWithoutResult(status -> {
			this.accounts.merge(intoId, fromId, "operator");
			this.audit.record(AuditEntry.of(MERGED)
				.actor(actor(operator))
				.subject(intoId)
				.detail("merged", fromId)
				.detail("reason", why));
		});
		return Optional.of(new Merge(null));
	}

	/**
	 * The person's "download my data" document, for an operator acting on their request (it is in clear: only
	 * callers who see personal data in clear get it), audited before it leaves with the operator and the reason.
	 * @throws Refused without a reason, or for a caller who sees personal data masked
	 * @return empty when no account has this id (audited too)
	 */
	Optional<PersonalDataExport.Document> export(String accountId, String reason, Principal operator) {
		String why = reason(reason);
		if (!ConsoleOperator.seesClear(operator)) {
			throw new Refused("admin.people.error.export-masked", "the data export is in clear: this caller sees masked data");
		}
		Optional<UserAccount> account = this.accounts.find(accountId);
		Optional<PersonalDataExport.Document> document = account.map(a -> this.export.of(a.id()));
		this.audit.record(AuditEntry.of(AuditTypes.PERSONAL_DATA_READ)
			.actor(actor(operator))
			.subject(account.map(UserAccount::id).orElse(null))
			.detail("purpose", "operator-export")
			.detail("channel", "export")
			.detail("found", Boolean.toString(account.isPresent()))
			.detail("sections", document.map(PersonalDataExport.Document::sections).orElse(List.of()))
			.detail("reason", why));
		return document;
	}

	private List<Person.BrowserSession> sessions(String id) {
		FindByIndexNameSessionRepository<? extends Session> repository = this.sessions.getIfAvailable();
		if (repository == null) {
			return List.of();
		}
		List<Session> all = new ArrayList<>();
		for (String each : this.accounts.withMergedAccounts(id)) {
			all.addAll(repository.findByPrincipalName(each).values());
		}
		return all.stream()
			.sorted(Comparator.comparing(Session::getLastAccessedTime).reversed())
			.map(s -> new Person.BrowserSession(ref(s.getId()), s.getCreationTime(), s.getLastAccessedTime()))
			.toList();
	}

	static String actor(Principal operator) {
		return "admin:" + operator.getName();
	}

	private static String shown(boolean clear, String personalData) {
		return clear ? personalData : ConsoleOperator.masked(personalData);
	}

	/** A session as the page names it: a digest of its id (as the person's own activity page does). */
	static String ref(String sessionId) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(sessionId.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
