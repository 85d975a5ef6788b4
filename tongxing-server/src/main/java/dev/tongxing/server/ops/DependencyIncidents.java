package dev.tongxing.server.ops;

import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Incidents for something the gateway depends on that is no login method of its own (e.g. the Redis that
 * shares rate limits across nodes): opened and resolved by the package that notices, never by the login
 * success rate or the probes. One open incident per component, whichever node reports it.
 */
@Component
public class DependencyIncidents {

	/** The {@code opened_by} of these incidents. */
	static final String DEPENDENCY = "dependency";

	private static final Logger log = LoggerFactory.getLogger(DependencyIncidents.class);

	private final Incidents incidents;

	private final Clock clock;

	DependencyIncidents(Incidents incidents, Clock clock) {
		this.incidents = incidents;
		this.clock = clock;
	}

	/** Opens an incident for the component unless one is open already. Never throws: a failure is logged. */
	public void open(String component) {
		try {
			this.incidents.open(component, null, this.clock.instant(), DEPENDENCY)
				.ifPresent(incident -> log.warn("Incident {} opened: {} is unavailable", incident.id(), component));
		}
		catch (RuntimeException e) {
			log.warn("Could not record an incident for {}: {}", component, e.toString());
		}
	}

	/** Resolves the component's open incident, if this kind opened it. Never throws. */
	public void resolve(String component) {
		try {
			this.incidents.openFor(component)
				.filter(incident -> DEPENDENCY.equals(incident.openedBy()))
				.ifPresent(incident -> {
					if (this.incidents.resolve(incident.id(), this.clock.instant())) {
						log.info("Incident {} resolved: {} is available again", incident.id(), component);
					}
				});
		}
		catch (RuntimeException e) {
			log.warn("Could not resolve the incident for {}: {}", component, e.toString());
		}
	}

}
