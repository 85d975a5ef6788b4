package dev.tongxing.server.connector.phone;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * On every node: applies the phone changes whose wait is over, and sends the notices to old numbers that did
 * not go out at once. {@link PhoneChanges} claims each row first, so the nodes never both act on one.
 */
@Component
class PhoneChangeJob {

	private static final Logger log = LoggerFactory.getLogger(PhoneChangeJob.class);

	private final PhoneChanges changes;

	PhoneChangeJob(PhoneChanges changes) {
		this.changes = changes;
	}

	@Scheduled(initialDelayString = "${tongxing.account.phone-change.check-interval:PT1M}",
			fixedDelayString = "${tongxing.account.phone-change.check-interval:PT1M}")
	void run() {
		int notices = this.changes.sendDueNotices();
		int applied = this.changes.applyDue();
		if (notices > 0 || applied > 0) {
			log.info("Phone changes: {} notice(s) sent, {} change(s) applied", notices, applied);
		}
	}

}
