package dev.tongxing.server.complaint;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.crypto.Digests;
import dev.tongxing.server.crypto.PersonalDataCipher;
import dev.tongxing.server.ops.FailureCatalog;
import dev.tongxing.server.ops.FailureExplanation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The complaint desk: people open tickets and follow them; operators read, reply and close. Every change
 * is one transaction with its audit entry; contact, description and messages are sealed before they reach
 * a table.
 */
@Service
class ComplaintDesk {

	static final String CONTACT_PURPOSE = "complaint-contact";

	static final String PERSON = "person";

	static final String OPERATOR = "operator";

	private final Tickets tickets;

	private final Escalations escalations;

	private final LoginTrail trail;

	private final PersonalDataCipher cipher;

	private final FailureCatalog catalog;

	private final MessageSource messages;

	private final AuditLog audit;

	private final ComplaintMetrics metrics;

	private final ComplaintProperties properties;

	private final Clock clock;

	/** A transaction of its own, for work after the main one committed. */
	private final TransactionTemplate own;

	ComplaintDesk(Tickets tickets, Escalations escalations, LoginTrail trail, PersonalDataCipher cipher,
			FailureCatalog catalog, MessageSource messages, AuditLog audit, ComplaintMetrics metrics,
			ComplaintProperties properties, Clock clock, PlatformTransactionManager transactions) {
		this.tickets = tickets;
		this.escalations = escalations;
		this.trail = trail;
		this.cipher = cipher;
		this.catalog = catalog;
		this.messages = messages;
		this.audit = audit;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
		this.own = new TransactionTemplate(transactions);
		this.own.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
	}

	/** What a person submitted, already validated. */
	record NewComplaint(Contact contact, String method, String description, Instant happenedAt, Locale locale) {
	}

	/** A new ticket's number and the secret of its follow link (shown once, stored only as a digest). */
	record Opened(String number, String accessKey) {
	}

	record Message(Instant at, String author, String operatorName, String body) {
	}

	/** What the person sees: the ticket and the conversation (operators appear as "support"). */
	record PersonView(Ticket ticket, List<Message> messages) {
	}

	record ExplainedFailure(LoginTrail.Failure failure, String explanation, String action, String upstreamAdvice) {
	}

	/** What an operator sees: everything, opened. */
	record OperatorView(Ticket ticket, Contact contact, String description, List<Message> messages,
			List<ExplainedFailure> failures, List<Escalations.Escalation> escalations) {
	}

	/** Too many tickets from one address or contact; another may be opened at {@code retryAt}. */
	static final class LimitReached extends RuntimeException {

		final Instant retryAt;

		LimitReached(Instant retryAt) {
			super("complaint limit reached until " + retryAt, null, false, false);
			this.retryAt = retryAt;
		}

	}

	/** A change to a closed ticket. */
	static final class Unanswered extends RuntimeException {

		Unanswered() {
			super("ticket is not answered yet", null, false, false);
		}

	}

	static final class TicketClosed extends RuntimeException {

		TicketClosed() {
			super("ticket is closed", null, false, false);
		}

	}

	@Transactional
	public Opened open(NewComplaint complaint, LoginTrail.Person person) {
		Instant now = this.clock.instant();
		String contactHash = this.cipher.lookupHash(CONTACT_PURPOSE, complaint.contact().value());
		checkLimits(person.addressHash(), contactHash, now);
		String number = TicketNumbers.next(now);
		while (this.tickets.numberTaken(number)) {
			number = TicketNumbers.next(now);
		}
		String accessKey = TicketNumbers.accessKey();
		long id = this.tickets.insert(new Tickets.NewTicket(number, Digests.sha256Hex(accessKey),
				this.cipher.seal(complaint.contact().value()), contactHash, complaint.contact().kind(),
				person.addressHash(), complaint.method(), this.cipher.seal(complaint.description()),
				complaint.happenedAt(), complaint.locale().toLanguageTag(), now,
				now.plus(this.properties.firstResponse())));
		List<LoginTrail.Failure> failures = this.trail.recentFailures(person);
		failures.forEach(f -> this.tickets.attachFailure(id, f));
		this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_OPENED)
			.detail("ticket", number)
			.detail("method", complaint.method())
			.detail("failedLogins", failures.size()));
		String method = complaint.method();
		afterCommit(() -> this.metrics.opened(method));
		return new Opened(number, accessKey);
	}

	/** The ticket, if {@code accessKey} is its follow link's secret; empty for a wrong number or key alike. */
	@Transactional(readOnly = true)
	public Optional<PersonView> forPerson(String number, String accessKey) {
		return authorised(number, accessKey).map(t -> new PersonView(t, messages(t.id(), false)));
	}

	/** @return false when the number or key is wrong */
	@Transactional
	public boolean addPersonMessage(String number, String accessKey, String body) {
		Optional<Ticket> ticket = authorised(number, accessKey).flatMap(t -> this.tickets.lock(number));
		if (ticket.isEmpty()) {
			return false;
		}
		if (ticket.get().state() == TicketState.CLOSED) {
			throw new TicketClosed();
		}
		this.tickets.addMessage(ticket.get().id(), this.clock.instant(), PERSON, null, this.cipher.seal(body));
		this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_MESSAGE_ADDED).detail("ticket", number));
		return true;
	}

	public List<Ticket> queue() {
		return this.tickets.queue(500);
	}

	public List<Ticket> recentlyClosed() {
		return this.tickets.recentlyClosed(50);
	}

	/** Opens a ticket for an operator: reading the sealed contact and texts is recorded. */
	@Transactional
	public Optional<OperatorView> forOperator(String number, String operator, Locale locale) {
		Optional<Ticket> found = this.tickets.find(number);
		if (found.isEmpty()) {
			return Optional.empty();
		}
		Ticket ticket = found.get();
		Tickets.Sealed sealed = this.tickets.sealed(ticket.id());
		List<ExplainedFailure> failures = this.tickets.failures(ticket.id())
			.stream()
			.map(f -> explain(f, locale))
			.toList();
		this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_VIEWED).actor("admin:" + operator).detail("ticket", number));
		return Optional.of(new OperatorView(ticket, new Contact(ticket.contactKind(), this.cipher.open(sealed.contact())),
				this.cipher.open(sealed.description()), messages(ticket.id(), true), failures,
				this.escalations.of(ticket.id())));
	}

	/**
	 * A public reply: the person sees it on the ticket's page. The first one stops the first-response clock.
	 * @return the ticket after the reply, or empty for an unknown number
	 */
	@Transactional
	public Optional<Ticket> reply(String number, String operator, String body) {
		Optional<Ticket> locked = this.tickets.lock(number);
		if (locked.isEmpty()) {
			return Optional.empty();
		}
		Ticket ticket = locked.get();
		if (ticket.state() == TicketState.CLOSED) {
			throw new TicketClosed();
		}
		Instant now = this.clock.instant();
		this.tickets.addMessage(ticket.id(), now, OPERATOR, operator, this.cipher.seal(body));
		AuditEntry entry = AuditEntry.of(AuditTypes.COMPLAINT_REPLIED).actor("admin:" + operator).detail("ticket", number);
		if (this.tickets.recordFirstResponse(ticket.id(), now)) {
			Duration took = Duration.between(ticket.createdAt(), now);
			boolean late = now.isAfter(ticket.firstResponseDue());
			entry = entry.detail("firstResponse", true).detail("firstResponseSeconds", took.toSeconds()).detail("late", late);
			afterCommit(() -> {
				this.metrics.firstResponse(took, !late);
				// a late answer is a breach, counted once: the check may have counted it already. After the
				// commit, on its own: a refused insert must not abort the reply's transaction.
				if (late && Boolean.TRUE.equals(this.own.execute(
						status -> this.escalations.claim(ticket.id(), Escalations.BREACHED, "answered-late", now)))) {
					this.metrics.slaBreached();
				}
			});
		}
		this.audit.record(entry);
		return this.tickets.find(number);
	}

	/**
	 * Closes a ticket that has been answered: closing one nobody answered would stop its first-response clock
	 * without a response (even a spam ticket gets a one-line reply first).
	 * @return the closed ticket, or empty for an unknown number
	 * @throws Unanswered when no operator has replied yet
	 */
	@Transactional
	public Optional<Ticket> close(String number, String operator) {
		Optional<Ticket> locked = this.tickets.lock(number);
		if (locked.isEmpty()) {
			return Optional.empty();
		}
		if (locked.get().firstResponseAt() == null) {
			throw new Unanswered();
		}
		if (this.tickets.close(locked.get().id(), this.clock.instant())) {
			this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_CLOSED).actor("admin:" + operator).detail("ticket", number));
		}
		return this.tickets.find(number);
	}

	private Optional<Ticket> authorised(String number, String accessKey) {
		if (number == null || accessKey == null || accessKey.length() > 100) {
			return Optional.empty();
		}
		return this.tickets.find(number).filter(t -> {
			byte[] expected = this.tickets.sealed(t.id()).accessDigest().getBytes(StandardCharsets.US_ASCII);
			byte[] given = Digests.sha256Hex(accessKey).getBytes(StandardCharsets.US_ASCII);
			return MessageDigest.isEqual(expected, given);
		});
	}

	private List<Message> messages(long ticketId, boolean forOperator) {
		return this.tickets.messages(ticketId)
			.stream()
			.map(m -> new Message(m.at(), m.author(), forOperator ? m.operatorName() : null, this.cipher.open(m.sealedBody())))
			.toList();
	}

	private ExplainedFailure explain(LoginTrail.Failure failure, Locale locale) {
		FailureExplanation why = this.catalog.explain(failure.cause(), failure.upstreamError());
		return new ExplainedFailure(failure, text(why.explanationKey(), locale), text(why.actionKey(), locale),
				why.upstreamAdviceKey() == null ? null : text(why.upstreamAdviceKey(), locale));
	}

	private String text(String key, Locale locale) {
		return this.messages.getMessage(key, null, key, locale);
	}

	private void checkLimits(String addressHash, String contactHash, Instant now) {
		ComplaintProperties.Limits limits = this.properties.limits();
		Instant retryAt = null;
		if (addressHash != null) {
			retryAt = retryAt(this.tickets.createdSince("address_hash", addressHash, now.minus(Duration.ofHours(1))),
					limits.perAddressPerHour(), Duration.ofHours(1));
		}
		Instant contactRetry = retryAt(this.tickets.createdSince("contact_hash", contactHash, now.minus(Duration.ofDays(1))),
				limits.perContactPerDay(), Duration.ofDays(1));
		if (contactRetry != null && (retryAt == null || contactRetry.isAfter(retryAt))) {
			retryAt = contactRetry;
		}
		if (retryAt != null) {
			throw new LimitReached(retryAt);
		}
	}

	/** Sliding window: the max-th newest ticket has to leave the window before there is room again. */
	private static Instant retryAt(List<Instant> newestFirst, int max, Duration window) {
		return newestFirst.size() < max ? null : newestFirst.get(max - 1).plus(window);
	}

	private static void afterCommit(Runnable action) {
		if (TransactionSynchronizationManager.isSynchronizationActive()) {
			TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
				@Override
				public void afterCommit() {
					action.run();
				}
			});
		}
		else {
			action.run();
		}
	}

}
