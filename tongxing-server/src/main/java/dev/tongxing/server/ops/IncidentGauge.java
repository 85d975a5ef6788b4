package dev.tongxing.server.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * {@code tongxing_incidents_open}: incidents open now, of every method and dependency, read from the database at
 * each scrape (so every node says the same), for the {@code TongxingIncidentOpen} alert.
 */
@Component
class IncidentGauge implements MeterBinder {

	private static final Logger log = LoggerFactory.getLogger(IncidentGauge.class);

	private final Incidents incidents;

	IncidentGauge(Incidents incidents) {
		this.incidents = incidents;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("tongxing.incidents.open", this, IncidentGauge::open)
			.description("Incidents open now (the status page's), of every login method and dependency")
			.register(registry);
	}

	private double open() {
		try {
			return this.incidents.countOpen();
		}
		catch (RuntimeException ex) { // a scrape must not fail because the database is away
			log.debug("Could not count open incidents: {}", ex.toString());
			return Double.NaN;
		}
	}

}
