package dev.tongxing.server.deletion;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Carries out due deletion requests on every node; {@link AccountDeletion#complete} keeps them apart. */
@Component
class DeletionJob {

	private static final Logger log = LoggerFactory.getLogger(DeletionJob.class);

	private final AccountDeletion deletion;

	private final DeletionNotices notices;

	DeletionJob(AccountDeletion deletion, DeletionNotices notices) {
		this.deletion = deletion;
		this.notices = notices;
	}

	@Scheduled(initialDelayString = "${tongxing.deletion.check-interval:PT1M}",
			fixedDelayString = "${tongxing.deletion.check-interval:PT1M}")
	void run() {
		try {
			this.notices.sendDue();
		}
		catch (RuntimeException ex) {
			log.warn("Could not send deletion notices (tried again at the next run): {}", ex.toString());
		}
		int completed = this.deletion.completeDue();
		if (completed > 0) {
			log.info("Completed {} account deletion(s)", completed);
		}
	}

}
