package dev.tongxing.server.deletion;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import dev.tongxing.server.events.SecurityEvents;
import dev.tongxing.server.kernel.PersonNotices;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Tells the person of a deletion of their account they did not ask for — the withdrawn-consent rule's, an
 * operator's — before it is carried out (PIPL Art. 47: the cooling-off is their time to keep the account, and
 * they can only use it if they know). Sent at most once: the notice is claimed ({@code sending}) before the
 * provider is asked, so a node that dies mid-send leaves it unsent rather than sending it twice. Every outcome is
 * a deletion step in the audit log.
 */
@Component
class DeletionNotices {

	static final String PENDING = "pending";

	/** Not a status: the send is to be tried again at the next run. */
	private static final String LATER = "later";

	private static final Logger log = LoggerFactory.getLogger(DeletionNotices.class);

	private static final ZoneId BEIJING = ZoneId.of("Asia/Shanghai");

	/** The language of the notices: the person's is not known outside a browser, and the service is Chinese. */
	private static final Locale LOCALE = Locale.SIMPLIFIED_CHINESE;

	private final DeletionRequests requests;

	private final ObjectProvider<PersonNotices> notices;

	private final MessageSource messages;

	private final AuditLog audit;

	private final Clock clock;

	DeletionNotices(DeletionRequests requests, ObjectProvider<PersonNotices> notices, MessageSource messages,
			AuditLog audit, Clock clock) {
		this.requests = requests;
		this.notices = notices;
		this.messages = messages;
		this.audit = audit;
		this.clock = clock;
	}

	/** @return how many notices this call settled (sent or otherwise) */
	int sendDue() {
		int settled = 0;
		for (DeletionRequests.NoticeDue due : this.requests.noticesDue(50)) {
			if (!this.requests.moveNotice(due.id(), PENDING, "sending", this.clock.instant())) {
				continue; // another node has it
			}
			String outcome = send(due);
			if (LATER.equals(outcome)) {
				// known not sent (a limit, an open breaker): back in the queue for the next run, nothing to record yet
				this.requests.moveNotice(due.id(), "sending", PENDING, this.clock.instant());
				continue;
			}
			this.requests.moveNotice(due.id(), "sending", outcome, this.clock.instant());
			this.audit.record(AuditEntry.of(AuditTypes.DELETION_STEP)
				.actor("system")
				.subject(due.userId())
				.detail("request", due.id())
				.detail("step", "notice")
				.detail("outcome", outcome));
			settled++;
		}
		return settled;
	}

	private String send(DeletionRequests.NoticeDue due) {
		PersonNotices channel = this.notices.getIfAvailable();
		if (channel == null) {
			return "refused";
		}
		String key = SecurityEvents.Initiator.POLICY.code().equals(due.initiatedBy()) ? "deletion.notice.policy"
				: "deletion.notice.other";
		LocalDate day = LocalDate.ofInstant(due.dueAt(), BEIJING);
		String text = this.messages.getMessage(key, new Object[] { day.toString() }, LOCALE);
		try {
			return switch (channel.sendDeletion(due.userId(), text, day)) {
				case SENT -> "sent";
				case NO_CHANNEL -> "no-channel";
				case REFUSED -> "refused";
				case UNCERTAIN -> "uncertain";
				case LATER -> LATER;
			};
		}
		catch (RuntimeException ex) {
			log.warn("Deletion notice for request {} may not have gone out: {}", due.id(), ex.toString());
			return "uncertain";
		}
	}

}
