package dev.tongxing.server.lockout;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Drops rows of failed passwords that no longer count toward anything. */
@Component
class LockoutPurge {

	private final FailedPasswords failures;

	LockoutPurge(FailedPasswords failures) {
		this.failures = failures;
	}

	@Scheduled(fixedDelayString = "${tongxing.lockout.purge-interval:PT1H}", initialDelayString = "PT5M")
	void purge() {
		this.failures.purge();
	}

}
