package dev.tongxing.server.connector.phone;

import dev.tongxing.server.account.AccountChangeKind;
import dev.tongxing.server.account.AccountChanged;
import dev.tongxing.server.account.AccountLinking;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.account.AccountStatus;
import dev.tongxing.server.account.ExternalIdentity.IdentityKey;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.kernel.ErasureParticipant;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.MessageSource;
import org.springframework.context.event.EventListener;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Changing the phone number bound to an account (PIPL Art. 46 with the account's safety: a session alone must
 * not be enough to take the account's recovery number).
 * <ul>
 * <li>{@link #changeNow}: the person proved the old number and the new one, each with a code to it: the new
 * one replaces the old one at once, in one transaction.</li>
 * <li>{@link #schedule}: they proved the new number but lost the old one: the change waits
 * {@code lost-number-wait}; the old number is told by SMS at once ({@link #sendNotice}) and every sign-in of
 * the account sees it on {@code /account}, and may {@link #cancel} it.</li>
 * <li>{@link #applyDue}: the job applies the changes that waited long enough, each claimed by a conditional
 * update, after checking the new number did not go to another account meanwhile.</li>
 * </ul>
 * Every step is audited with ids and times only; the numbers are kept sealed, and only while the change waits.
 */
@Service
class PhoneChanges implements ErasureParticipant {

	private static final Logger log = LoggerFactory.getLogger(PhoneChanges.class);

	static final String PROVIDER = PhoneLoginMethod.METHOD;

	/** How long one node holds a notice it is sending before another may try. */
	private static final Duration NOTICE_LEASE = Duration.ofMinutes(2);

	/** Failed notices are tried this often, then given up (the in-app notice stays). */
	private static final int NOTICE_ATTEMPTS = 5;

	private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm");

	/** Dates in the notice are Beijing time, as the deletion pages show them. */
	private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");

	/** What became of a change. */
	sealed interface Outcome {
	}

	/** The new number replaced the old one. */
	record Changed() implements Outcome {
	}

	/** The change waits until {@code dueAt}. */
	record Scheduled(Instant dueAt) implements Outcome {
	}

	/** The new number belongs to another account: nothing changed. */
	record Taken() implements Outcome {
	}

	/** The new number is already this account's. */
	record Same() implements Outcome {
	}

	/** A change already waits; cancel it first. */
	record AlreadyScheduled() implements Outcome {
	}

	/** A waiting change, as the pages show it (the new number masked). */
	record Waiting(String id, String userId, Instant requestedAt, Instant dueAt, String newNumberMasked) {
	}

	private final PhoneChangeStore store;

	private final AccountService accounts;

	private final PersonalDataCipher cipher;

	private final JdbcPhoneVerification sms;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final PhoneChangeProperties properties;

	private final MessageSource messages;

	private final String node = dev.tongxing.server.kernel.NodeName.get();

	PhoneChanges(PhoneChangeStore store, AccountService accounts, PersonalDataCipher cipher, JdbcPhoneVerification sms,
			AuditLog audit, TransactionTemplate tx, Clock clock, PhoneChangeProperties properties,
			MessageSource messages) {
		this.store = store;
		this.accounts = accounts;
		this.cipher = cipher;
		this.sms = sms;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
		this.properties = properties;
		this.messages = messages;
	}

	Duration lostNumberWait() {
		return this.properties.lostNumberWait();
	}

	/** The phone links of the account, oldest first: the numbers a change replaces. */
	List<AccountService.LinkedIdentity> boundPhones(String userId) {
		return this.accounts.identities(userId).stream().filter(i -> PROVIDER.equals(i.provider())).toList();
	}

	/**
	 * Whether the account had a number removed within the wait: a number bound now would replace it without a
	 * code to it (remove, then bind, is a change too), so it waits like a change whose old number was lost.
	 */
	boolean removedRecently(String userId) {
		return this.store.lastRemoval(userId)
			.filter(at -> at.plus(this.properties.lostNumberWait()).isAfter(this.clock.instant()))
			.isPresent();
	}

	/** Every removal of a number from an account, in the removal's transaction. */
	@EventListener
	void on(AccountChanged changed) {
		if (changed.kind() == AccountChangeKind.UNLINK && changed.isPhone()) {
			this.store.removed(changed.userId(), this.clock.instant());
		}
	}

	/**
	 * A recycled number released by the gateway is not a removal by someone who may not be the owner: the old owner,
	 * told to bind a new number, binds it with one code rather than waiting out {@code lost-number-wait}.
	 */
	@EventListener
	void on(dev.tongxing.server.account.IdentifierRecycled recycled) {
		if (PROVIDER.equals(recycled.provider())) {
			this.store.forgetRemoval(recycled.userId());
		}
	}

	Optional<Waiting> waiting(String userId) {
		return waitingFor(List.of(userId)).stream().findFirst();
	}

	/** The waiting changes of these accounts (a person's account and those merged into it). */
	List<Waiting> waitingFor(Collection<String> userIds) {
		return this.store.scheduledOf(userIds)
			.stream()
			.map(row -> new Waiting(row.id(), row.userId(), row.requestedAt(), row.dueAt(),
					AccountLinking.maskPhone(this.cipher.open(row.newPhoneSealed()))))
			.toList();
	}

	/** Audits one step of a change the person is making now (before anything is stored). */
	void step(String userId, String type, String detailKey, String detailValue) {
		AuditEntry entry = AuditEntry.of(type).actor("user:" + userId).subject(userId);
		this.audit.record(detailKey == null ? entry : entry.detail(detailKey, detailValue));
	}

	/**
	 * Replaces the old number with the new one, in one transaction: the new link, then the old one removed (so
	 * the account is never without a way in); a change that was waiting is cancelled, this one supersedes it.
	 * @param old the link of the number the person proved
	 */
	Outcome changeNow(String userId, AccountService.LinkedIdentity old, String newE164) {
		IdentityKey key = new IdentityKey(PROVIDER, newE164);
		return this.tx.execute(status -> {
			Optional<String> owner = this.accounts.userFor(key);
			if (owner.isPresent()) {
				return owner.get().equals(userId) ? new Same() : new Taken();
			}
			Optional<String> superseded = this.store.cancel(userId, this.clock.instant(), "user:" + userId);
			superseded.ifPresent(id -> this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_CANCELLED)
				.actor("user:" + userId)
				.subject(userId)
				.detail("change", id)
				.detail("why", "superseded")));
			if (this.accounts.link(userId, key, PROVIDER) != AccountService.LinkResult.LINKED) {
				status.setRollbackOnly(); // taken by another account between the check and the link
				return new Taken();
			}
			this.accounts.unlink(userId, List.of(old.identityKey()));
			this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_APPLIED)
				.actor("user:" + userId)
				.subject(userId)
				.detail("replaced", old.id())
				.detail("proved", "old-and-new"));
			return new Changed();
		});
	}

	/**
	 * Schedules the change for after the wait, when the person proved the new number but lost the old one.
	 * The notice to the old number goes right after the commit; if that fails, the job tries again.
	 * @param old the number's link, or null when the account's number was removed before (then no SMS can
	 * go; the in-app notice is all)
	 */
	Outcome schedule(String userId, AccountService.LinkedIdentity old, String newE164, Locale locale) {
		IdentityKey key = new IdentityKey(PROVIDER, newE164);
		Optional<String> owner = this.accounts.userFor(key);
		if (owner.isPresent()) {
			return owner.get().equals(userId) ? new Same() : new Taken();
		}
		Instant now = this.clock.instant();
		Instant due = now.plus(this.properties.lostNumberWait());
		String id;
		try {
			id = this.tx.execute(status -> {
				String created = this.store.insert(userId, old == null ? null : old.id(),
						old == null ? null : this.cipher.seal(old.key()), this.cipher.seal(newE164), now, due,
						locale.toLanguageTag());
				this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_SCHEDULED)
					.actor("user:" + userId)
					.subject(userId)
					.detail("change", created)
					.detail("replaces", old == null ? null : old.id())
					.detail("due_at", due.toString())
					.detail("why", old == null ? "old-number-removed" : "old-number-lost"));
				if (old == null) {
					this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_NOTICE)
						.actor("system")
						.subject(userId)
						.detail("change", created)
						.detail("channel", "sms")
						.detail("outcome", "refused: the old number was removed before"));
				}
				return created;
			});
		}
		catch (DuplicateKeyException alreadyWaiting) {
			return new AlreadyScheduled();
		}
		if (old != null) {
			sendNotice(id);
		}
		return new Scheduled(due);
	}

	/**
	 * Cancels the account's waiting change: the person, or anyone signed in to the account another way.
	 * @param actor who, for the audit trail
	 */
	boolean cancel(String userId, String actor) {
		Boolean cancelled = this.tx.execute(status -> {
			Optional<String> id = this.store.cancel(userId, this.clock.instant(), actor);
			id.ifPresent(change -> this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_CANCELLED)
				.actor(actor)
				.subject(userId)
				.detail("change", change)));
			return id.isPresent();
		});
		return Boolean.TRUE.equals(cancelled);
	}

	/** Records that the in-app notice of a waiting change was shown (its delivery), once. */
	void shown(Waiting waiting) {
		this.tx.executeWithoutResult(status -> {
			if (this.store.shown(waiting.id(), this.clock.instant())) {
				this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_NOTICE)
					.actor("system")
					.subject(waiting.userId())
					.detail("change", waiting.id())
					.detail("channel", "in-app")
					.detail("outcome", "shown"));
			}
		});
	}

	/**
	 * Applies every change due now, each in its own transaction. Safe on every node at once.
	 * @return how many were applied
	 */
	int applyDue() {
		int applied = 0;
		for (String id : this.store.due(this.clock.instant(), 100)) {
			try {
				if (apply(id)) {
					applied++;
				}
			}
			catch (RuntimeException ex) {
				// rolled back whole: it stays scheduled and the next run tries again
				log.error("Could not apply phone change {}; it stays scheduled", id, ex);
			}
		}
		return applied;
	}

	/** @return whether this call applied it (false: not due, refused, or another node has it) */
	boolean apply(String id) {
		Boolean done = this.tx.execute(status -> {
			PhoneChangeStore.Row row = this.store.find(id).orElse(null);
			if (row == null || !PhoneChangeStore.SCHEDULED.equals(row.state())) {
				return false;
			}
			String newE164 = this.cipher.open(row.newPhoneSealed());
			String oldE164 = row.oldPhoneSealed() == null ? null : this.cipher.open(row.oldPhoneSealed());
			Instant now = this.clock.instant();
			String userId = row.userId();
			IdentityKey key = new IdentityKey(PROVIDER, newE164);
			Optional<String> owner = this.accounts.userFor(key);
			boolean active = this.accounts.status(userId).filter(s -> s == AccountStatus.ACTIVE).isPresent();
			String refusal = !active ? "account-not-active"
					: owner.isPresent() && !owner.get().equals(userId) ? "new-number-taken" : null;
			if (!this.store.finish(id, refusal == null ? PhoneChangeStore.APPLIED : PhoneChangeStore.REFUSED, now,
					this.node)) {
				return false; // another node got it, or it was cancelled meanwhile
			}
			if (refusal != null) {
				this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_REFUSED)
					.actor("system")
					.subject(userId)
					.detail("change", id)
					.detail("why", refusal));
				return false;
			}
			if (owner.isEmpty() && this.accounts.link(userId, key, PROVIDER) == AccountService.LinkResult.CONFLICT) {
				// the number went to another account since the check above (a sign-in on another node): nothing of
				// the change happens, and the refusal is recorded in a transaction of its own
				status.setRollbackOnly();
				return null;
			}
			// the old number, if the account still has it (the person may have removed it meanwhile)
			if (oldE164 != null) {
				this.accounts.unlink(userId, List.of(new IdentityKey(PROVIDER, oldE164)));
			}
			this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_APPLIED)
				.actor("system")
				.subject(userId)
				.detail("change", id)
				.detail("replaced", row.oldIdentityId())
				.detail("proved", "new-after-wait")
				.detail("node", this.node));
			return true;
		});
		if (done == null) {
			refuseTaken(id);
			return false;
		}
		return Boolean.TRUE.equals(done);
	}

	/** The new number was taken between the check and the link: the change is refused, on record. */
	private void refuseTaken(String id) {
		this.tx.executeWithoutResult(status -> this.store.find(id)
			.filter(row -> PhoneChangeStore.SCHEDULED.equals(row.state()))
			.filter(row -> this.store.finish(id, PhoneChangeStore.REFUSED, this.clock.instant(), this.node))
			.ifPresent(row -> this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_REFUSED)
				.actor("system")
				.subject(row.userId())
				.detail("change", id)
				.detail("why", "new-number-taken"))));
	}

	/** Sends the notices that are due (first tries that failed, retries), each claimed first. */
	int sendDueNotices() {
		int sent = 0;
		for (String id : this.store.noticesDue(this.clock.instant(), 100)) {
			if (sendNotice(id)) {
				sent++;
			}
		}
		return sent;
	}

	/**
	 * One attempt at the notice to the old number: claimed for a lease, sent under the send limits, and its
	 * outcome audited. Never inside a transaction: the SMS is not held up by, nor rolled back with, the database.
	 * @return whether it went out
	 */
	boolean sendNotice(String id) {
		Instant now = this.clock.instant();
		if (!this.store.claimNotice(id, now, now.plus(NOTICE_LEASE))) {
			return false;
		}
		PhoneChangeStore.Row row = this.store.find(id).orElse(null);
		if (row == null || row.oldPhoneSealed() == null) {
			return false;
		}
		Locale locale = Locale.forLanguageTag(row.noticeLocale());
		String text = this.messages.getMessage("phone.change.sms.notice",
				new Object[] { this.messages.getMessage("app.name", null, "Tongxing", locale),
						AccountLinking.maskPhone(this.cipher.open(row.newPhoneSealed())),
						DATE_TIME.format(row.dueAt().atZone(ZONE)) },
				locale);
		String newPhone = this.cipher.open(row.newPhoneSealed());
		java.time.ZonedDateTime due = row.dueAt().atZone(ZONE);
		JdbcPhoneVerification.NoticeOutcome outcome = this.sms.sendNotice(NoticeKind.PHONE_CHANGE.message(
				this.cipher.open(row.oldPhoneSealed()), text, DateTimeFormatter.ISO_LOCAL_DATE.format(due),
				DateTimeFormatter.ofPattern("HH:mm").format(due), newPhone.substring(newPhone.length() - 4)));
		String recorded;
		switch (outcome) {
			case JdbcPhoneVerification.NoticeSent sent -> {
				this.store.noticeDone(id, PhoneChangeStore.NOTICE_SENT);
				recorded = "sent";
			}
			case JdbcPhoneVerification.NoticeRefused refused -> {
				this.store.noticeDone(id, PhoneChangeStore.NOTICE_REFUSED);
				recorded = "refused: " + refused.why();
			}
			case JdbcPhoneVerification.NoticeLimited limited -> {
				this.store.noticeLater(id, limited.retryAt());
				recorded = "limited";
			}
			case JdbcPhoneVerification.NoticeFailed failed -> {
				// the claim has counted this try already
				if (row.noticeAttempts() >= NOTICE_ATTEMPTS) {
					this.store.noticeDone(id, PhoneChangeStore.NOTICE_FAILED);
					recorded = "failed: " + failed.why();
				}
				else {
					this.store.noticeLater(id, now.plus(Duration.ofMinutes(1L << row.noticeAttempts())));
					recorded = "retry: " + failed.why();
				}
			}
		}
		this.audit.record(AuditEntry.of(AuditTypes.PHONE_CHANGE_NOTICE)
			.actor("system")
			.subject(row.userId())
			.detail("change", id)
			.detail("channel", "sms")
			.detail("outcome", recorded));
		return outcome instanceof JdbcPhoneVerification.NoticeSent;
	}

	@Override
	public String name() {
		return "phone-changes";
	}

	@Override
	public void erase(String userId) {
		this.store.erase(userId);
	}

}
