package dev.tongxing.server.ops;

import dev.tongxing.server.login.Connectors;
import dev.tongxing.server.login.spi.Probe;
import dev.tongxing.server.login.LoginFailureCause;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Opens an incident for a login method when one of its upstream probes has failed
 * {@code tongxing.ops.probes.failures-to-open} times in a row, and resolves it once every probe of the method
 * has succeeded {@code successes-to-resolve} times in a row. The results come from every node (the newest
 * first, whoever made them), so one node's bad network alone rarely opens one; {@link Incidents} keeps the
 * outcome single when several nodes decide at once. It resolves only the incidents it opened: an incident the
 * login success rate opened waits for the logins to recover.
 */
@Component
class ProbeIncidents {

	private static final Logger log = LoggerFactory.getLogger(ProbeIncidents.class);

	/** Older results say nothing about now (a probe that stopped running is not failing). */
	private static final Duration RECENT = Duration.ofHours(1);

	private final ObjectProvider<Connectors> upstreams;

	private final Incidents incidents;

	private final OpsProperties.Probes settings;

	private final JdbcClient jdbc;

	private final java.time.Clock clock;

	ProbeIncidents(ObjectProvider<Connectors> upstreams, Incidents incidents, OpsProperties properties,
			JdbcClient jdbc, java.time.Clock clock) {
		this.upstreams = upstreams;
		this.incidents = incidents;
		this.settings = properties.probes();
		this.jdbc = jdbc;
		this.clock = clock;
	}

	/** After a round of probes: opens and resolves the incidents they call for. */
	void check(List<Probe> probes) {
		Instant now = this.clock.instant();
		Map<String, List<String>> byMethod = byMethod(probes);
		byMethod.forEach((method, names) -> {
			boolean failing = names.stream().anyMatch(name -> inARow(name, false, this.settings.failuresToOpen(), now));
			if (failing) {
				this.incidents.open(method, LoginFailureCause.UPSTREAM_UNAVAILABLE, now, Incident.PROBES)
					.ifPresent(incident -> log.warn("Incident {} opened: the probes of {} failed {} times in a row",
							incident.id(), method, this.settings.failuresToOpen()));
			}
		});
		for (Incident open : this.incidents.allOpen()) {
			if (!Incident.PROBES.equals(open.openedBy())) {
				continue;
			}
			List<String> names = byMethod.get(open.method());
			// a method whose upstream is no longer probed (configuration changed) has nothing left failing
			boolean recovered = names == null
					|| names.stream().allMatch(name -> inARow(name, true, this.settings.successesToResolve(), now));
			if (recovered && this.incidents.resolve(open.id(), now)) {
				log.info("Incident {} resolved: the probes of {} succeed again", open.id(), open.method());
			}
		}
	}

	/** Whether every probe of the method failed at its newest result (the method is out, not degraded). */
	boolean allFailing(String method) {
		Instant now = this.clock.instant();
		List<String> names = byMethod(this.upstreams.getObject().probes())
			.get(method);
		return names != null && names.stream().allMatch(name -> inARow(name, false, 1, now));
	}

	private static Map<String, List<String>> byMethod(List<Probe> probes) {
		Map<String, List<String>> byMethod = new LinkedHashMap<>();
		for (Probe probe : probes) {
			byMethod.computeIfAbsent(probe.method(), m -> new java.util.ArrayList<>()).add(probe.name());
		}
		return byMethod;
	}

	/** Whether the probe's newest {@code count} results (from any node) are all {@code ok}. */
	private boolean inARow(String probe, boolean ok, int count, Instant now) {
		List<Boolean> newest = this.jdbc.sql("""
				SELECT ok FROM ops_probe_result WHERE probe = :p AND checked_at > :since
				ORDER BY checked_at DESC LIMIT :n""")
			.param("p", probe)
			.param("since", now.minus(RECENT).atOffset(ZoneOffset.UTC))
			.param("n", count)
			.query(Boolean.class)
			.list();
		return newest.size() == count && newest.stream().allMatch(result -> result == ok);
	}

}
