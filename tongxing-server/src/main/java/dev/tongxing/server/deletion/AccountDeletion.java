package dev.tongxing.server.deletion;

import dev.tongxing.server.access.AccessRevocation;
import dev.tongxing.server.kernel.ErasureParticipant;
import dev.tongxing.server.account.AccountService;
import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.events.SecurityEvents;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Account deletion (注销), each change in one transaction with its audit steps and its queued security events
 * (the events leave through the outbox after commit): a crash leaves either nothing or everything done.
 * <ol>
 * <li>{@link #request}: a pending request, {@code account-disabled} and back-channel logout to the apps, the
 * person's tokens and sessions ended; the account waits out the cooling-off.</li>
 * <li>{@link #cancel}: during the cooling-off, by the person after signing in; {@code account-enabled}.</li>
 * <li>{@link #complete}: once due, by the scheduled job: {@code account-purged} and back-channel logout
 * queued, tokens and sessions ended again, every participant's data and the account erased.</li>
 * </ol>
 */
@Service
public class AccountDeletion {

	private static final Logger log = LoggerFactory.getLogger(AccountDeletion.class);

	/** The reason given with {@code account-disabled}. */
	static final String DISABLED_REASON = "deletion-requested";

	private final DeletionRequests requests;

	private final DeletionSchedule schedule;

	private final SecurityEvents events;

	private final AccessRevocation access;

	private final AccountService accounts;

	private final List<ErasureParticipant> participants;

	private final AuditLog audit;

	private final TransactionTemplate tx;

	private final Clock clock;

	private final String node = dev.tongxing.server.kernel.NodeName.get();

	AccountDeletion(DeletionRequests requests, DeletionSchedule schedule, SecurityEvents events,
			AccessRevocation access, AccountService accounts,
			List<ErasureParticipant> participants, AuditLog audit, TransactionTemplate tx, Clock clock) {
		this.requests = requests;
		this.schedule = schedule;
		this.events = events;
		this.access = access;
		this.accounts = accounts;
		this.participants = participants;
		this.audit = audit;
		this.tx = tx;
		this.clock = clock;
	}

	/** The person's pending request, if any. */
	public Optional<DeletionRequest> pending(String userId) {
		return this.requests.pending(userId);
	}

	/** Every request the person ever made, oldest first. */
	public List<DeletionRequest> history(String userId) {
		return this.requests.all(userId);
	}

	/** When a request made now would be carried out. */
	DeletionSchedule.Dates preview() {
		return this.schedule.forRequestAt(this.clock.instant());
	}

	/**
	 * Accepts a deletion request from the (freshly re-authenticated) person.
	 * @return the new request, or the one already pending
	 */
	public DeletionRequest request(String userId) {
		return request(userId, "user:" + userId, SecurityEvents.Initiator.USER);
	}

	/**
	 * Accepts a deletion request made for the person by someone with the right to, e.g. a child's guardian
	 * ({@code guardian:…}, 未成年人保护法 Art. 72), who is the actor of its audit entries.
	 * @return the new request, or the one already pending
	 */
	public DeletionRequest request(String userId, String actor) {
		return request(userId, actor, initiatorOf(actor));
	}

	/**
	 * Accepts a deletion request, saying who started it: the apps are told so in {@code account-disabled} now
	 * and in {@code account-purged} when it completes ({@code initiating_entity}).
	 * @param actor who made it, for the audit trail ({@code user:…}, {@code guardian:…}, {@code operator:…},
	 * {@code system:…})
	 * @return the new request, or the one already pending
	 */
	public DeletionRequest request(String userId, String actor, SecurityEvents.Initiator initiator) {
		try {
			return this.tx.execute(status -> requestInTransaction(userId, actor, initiator));
		}
		catch (DuplicateKeyException alreadyPending) {
			return this.requests.pending(userId).orElseThrow(() -> alreadyPending);
		}
	}

	/**
	 * The initiator an actor's spelling names: the person or their guardian is the user; an operator is the
	 * admin; the gateway's own rules ({@code system:…}) are policy.
	 */
	static SecurityEvents.Initiator initiatorOf(String actor) {
		if (actor.startsWith("user:") || actor.startsWith("guardian:")) {
			return SecurityEvents.Initiator.USER;
		}
		if (actor.startsWith("operator:") || actor.startsWith("admin:")) {
			return SecurityEvents.Initiator.ADMIN;
		}
		return SecurityEvents.Initiator.POLICY;
	}

	private DeletionRequest requestInTransaction(String userId, String actor, SecurityEvents.Initiator initiator) {
		DeletionRequest request = this.requests.insert(userId, this.schedule.forRequestAt(this.clock.instant()),
				initiator);
		step(request, actor, "requested", entry -> entry.detail("due_at", request.dueAt().toString())
			.detail("deadline", request.deadline().toString())
			.detail("initiated_by", initiator.code()));
		TreeSet<String> recipients = new TreeSet<>(this.events.recipients(userId));
		this.events.accountDisabled(userId, DISABLED_REASON, initiator);
		step(request, actor, "account-disabled-queued", entry -> entry.detail("recipients", recipients));
		endAccess(request, actor, userId);
		return request;
	}

	/**
	 * Cancels the person's pending request (they signed in during the cooling-off and chose to keep their
	 * account).
	 * @return whether there was one to cancel
	 */
	public boolean cancel(String userId) {
		Boolean cancelled = this.tx.execute(status -> {
			Optional<DeletionRequest> pending = this.requests.pending(userId);
			if (pending.isEmpty() || !this.requests.cancel(pending.get().id(), this.clock.instant())) {
				return false;
			}
			this.events.accountEnabled(userId);
			step(pending.get(), "user:" + userId, "cancelled", entry -> entry);
			return true;
		});
		return Boolean.TRUE.equals(cancelled);
	}

	/**
	 * Carries out every request due now, each in its own transaction. Safe on every node at once: a request
	 * is claimed by the transaction that carries it out.
	 * @return how many this call completed
	 */
	public int completeDue() {
		int completed = 0;
		for (String id : this.requests.due(this.clock.instant(), 100)) {
			try {
				if (complete(id)) {
					completed++;
				}
			}
			catch (RuntimeException ex) {
				// rolled back whole: it stays pending and the next run tries again
				log.error("Could not complete deletion request {}; it stays pending", id, ex);
			}
		}
		return completed;
	}

	/**
	 * Carries out one due request, in one transaction.
	 * @return false when it was not due, not pending, or another node has it
	 */
	boolean complete(String requestId) {
		Boolean done = this.tx.execute(status -> {
			if (!this.requests.claimForCompletion(requestId, this.clock.instant(), this.node)) {
				return false;
			}
			DeletionRequest request = this.requests.find(requestId).orElseThrow();
			String userId = request.userId();
			String actor = "system";
			TreeSet<String> recipients = new TreeSet<>(this.events.recipients(userId));
			// before the erasure, as the contract asks; saying who asked for it, as stored with the request
			this.events.accountPurged(userId, this.requests.initiator(requestId));
			step(request, actor, "account-purged-queued", entry -> entry.detail("recipients", recipients));
			// normally nothing is live any more (access ended at the request); anything that is, is told
			endAccess(request, actor, userId);
			for (ErasureParticipant participant : this.participants) {
				participant.erase(userId);
				step(request, actor, "erased", entry -> entry.detail("data", participant.name()));
			}
			this.accounts.erase(userId);
			step(request, actor, "account-erased", entry -> entry);
			step(request, actor, "completed", entry -> entry.detail("node", this.node));
			return true;
		});
		return Boolean.TRUE.equals(done);
	}

	/**
	 * Back-channel logout for the user's live sessions at the apps, every client's tokens and remembered
	 * consent, and every browser session — also those still carrying the id of an account merged into this one.
	 */
	private void endAccess(DeletionRequest request, String actor, String userId) {
		AccessRevocation.Ended ended = this.access.endAll(userId, AccessRevocation.Notice.NONE, null);
		step(request, actor, "logout-queued", entry -> entry);
		step(request, actor, "tokens-revoked", entry -> entry.detail("clients", new TreeSet<>(ended.clients())));
		step(request, actor, "sessions-ended", entry -> entry.detail("sessions", ended.sessions()));
	}

	private void step(DeletionRequest request, String actor, String step,
			java.util.function.UnaryOperator<AuditEntry> details) {
		this.audit.record(details.apply(AuditEntry.of(AuditTypes.DELETION_STEP)
			.actor(actor)
			.subject(request.userId())
			.detail("request", request.id())
			.detail("step", step)));
	}

	Instant now() {
		return this.clock.instant();
	}

}
