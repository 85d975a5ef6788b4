package dev.tongxing.server.complaint;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import dev.tongxing.server.audit.AuditTypes;
import java.time.Clock;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Deletes tickets {@code tongxing.complaints.retention} after they were closed, or after their last activity
 * (a ticket nobody touched for that long is abandoned): the row with its sealed contact and texts, its
 * messages, attached failures and escalations. Each deletion is one transaction with its audit entry (the
 * ticket number only). Every node runs it; a ticket deleted by another node is simply gone.
 */
@Component
class ComplaintRetention {

	private static final Logger log = LoggerFactory.getLogger(ComplaintRetention.class);

	private final Tickets tickets;

	private final AuditLog audit;

	private final ComplaintProperties properties;

	private final Clock clock;

	private final TransactionTemplate transaction;

	ComplaintRetention(Tickets tickets, AuditLog audit, ComplaintProperties properties, Clock clock,
			PlatformTransactionManager transactions) {
		this.tickets = tickets;
		this.audit = audit;
		this.properties = properties;
		this.clock = clock;
		this.transaction = new TransactionTemplate(transactions);
	}

	@Scheduled(initialDelayString = "PT3M", fixedDelayString = "PT1H")
	void scheduledPurge() {
		try {
			purge();
		}
		catch (RuntimeException ex) {
			log.warn("Complaint retention purge failed: {}", ex.toString());
		}
	}

	/** @return how many tickets this call deleted */
	int purge() {
		Instant cutoff = this.clock.instant().minus(this.properties.retention());
		int purged = 0;
		for (String number : this.tickets.expired(cutoff)) {
			Boolean deleted = this.transaction.execute(status -> {
				if (!this.tickets.delete(number)) {
					return false;
				}
				this.audit.record(AuditEntry.of(AuditTypes.COMPLAINT_PURGED).actor("system").detail("ticket", number));
				return true;
			});
			purged += Boolean.TRUE.equals(deleted) ? 1 : 0;
		}
		if (purged > 0) {
			log.info("Deleted {} complaint tickets past their retention ({})", purged, this.properties.retention());
		}
		return purged;
	}

}
