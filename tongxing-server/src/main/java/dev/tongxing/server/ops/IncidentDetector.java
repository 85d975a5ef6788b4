package dev.tongxing.server.ops;

import dev.tongxing.server.login.LoginFailureCause;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Opens an incident when a login method's success rate over the window falls below the threshold (with
 * enough attempts to mean something), and resolves it after a whole window back above. Every node runs
 * it; {@link Incidents} keeps the outcome single.
 */
@Component
class IncidentDetector {

	private static final Logger log = LoggerFactory.getLogger(IncidentDetector.class);

	private final LoginMinutes minutes;

	private final LoginFailureLog failures;

	private final Incidents incidents;

	private final FailureCatalog catalog;

	private final OpsProperties.Incident settings;

	private final Clock clock;

	IncidentDetector(LoginMinutes minutes, LoginFailureLog failures, Incidents incidents, FailureCatalog catalog,
			OpsProperties properties, Clock clock) {
		this.minutes = minutes;
		this.failures = failures;
		this.incidents = incidents;
		this.catalog = catalog;
		this.settings = properties.incident();
		this.clock = clock;
	}

	@Scheduled(initialDelayString = "${tongxing.ops.incident.check-interval:30s}",
			fixedDelayString = "${tongxing.ops.incident.check-interval:30s}")
	void scheduledCheck() {
		try {
			check();
		}
		catch (RuntimeException ex) {
			log.warn("Incident check failed: {}", ex.toString());
		}
	}

	void check() {
		Instant now = this.clock.instant();
		Instant windowStart = now.minus(this.settings.window());
		Map<String, LoginMinutes.Tally> tallies = this.minutes.since(windowStart);
		for (Incident open : this.incidents.allOpen()) {
			if (!Incident.LOGINS.equals(open.openedBy())) {
				continue; // the probes resolve what they opened
			}
			LoginMinutes.Tally tally = tallies.get(open.method());
			// only minutes wholly after the opening count, and silence proves nothing
			if (!open.openedAt().isAfter(windowStart) && tally != null && tally.attempts() > 0
					&& tally.successRate() >= this.settings.threshold()) {
				if (this.incidents.resolve(open.id(), now)) {
					log.info("Incident {} resolved: {} is back at {}% success", open.id(), open.method(),
							Math.round(tally.successRate() * 100));
				}
			}
		}
		tallies.forEach((method, tally) -> {
			if (tally.attempts() >= this.settings.minAttempts() && tally.successRate() < this.settings.threshold()) {
				LoginFailureCause cause = dominantCause(method, windowStart, now);
				this.incidents.open(method, cause, now)
					.ifPresent(incident -> log.warn("Incident {} opened: {} at {}% success over {} attempts, mostly {}",
							incident.id(), method, Math.round(tally.successRate() * 100), tally.attempts(), cause));
			}
		});
	}

	/** Success rate of one method over the current window (1 without attempts). */
	double successRate(String method) {
		LoginMinutes.Tally tally = this.minutes.since(this.clock.instant().minus(this.settings.window())).get(method);
		return tally == null ? 1.0 : tally.successRate();
	}

	private LoginFailureCause dominantCause(String method, Instant from, Instant to) {
		return this.failures.causes(method, from, to.plusSeconds(1))
			.entrySet()
			.stream()
			.filter(e -> !this.catalog.personsOwnDoing(e.getKey()))
			.max(Map.Entry.comparingByValue(Comparator.naturalOrder()))
			.map(Map.Entry::getKey)
			.orElse(null);
	}

}
