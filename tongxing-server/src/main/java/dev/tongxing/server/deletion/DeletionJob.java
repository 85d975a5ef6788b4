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

	DeletionJob(AccountDeletion deletion) {
		this.deletion = deletion;
	}

	@Scheduled(initialDelayString = "${tongxing.deletion.check-interval:PT1M}",
			fixedDelayString = "${tongxing.deletion.check-interval:PT1M}")
	void run() {
		int completed = this.deletion.completeDue();
		if (completed > 0) {
			log.info("Completed {} account deletion(s)", completed);
		}
	}

}
