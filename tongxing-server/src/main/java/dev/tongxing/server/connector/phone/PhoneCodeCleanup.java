package dev.tongxing.server.connector.phone;

import java.time.Clock;
import java.time.Duration;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** Drops codes and send records once no limit window can see them any more. Any node may run it. */
@Component
class PhoneCodeCleanup {

	/** Longer than the longest send-limit window (a day). */
	static final Duration KEEP = Duration.ofDays(2);

	private final PhoneCodes codes;

	private final Clock clock;

	PhoneCodeCleanup(PhoneCodes codes, Clock clock) {
		this.codes = codes;
		this.clock = clock;
	}

	@Scheduled(initialDelay = 60_000, fixedDelay = 3_600_000)
	void purge() {
		this.codes.purge(this.clock.instant().minus(KEEP));
	}

}
