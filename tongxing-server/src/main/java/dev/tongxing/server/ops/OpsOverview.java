package dev.tongxing.server.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * What the ops package tells the console's overview: open incidents (the database's, every node's), circuit
 * breakers (this node's: each node has its own), the availability probes' latest results (every node's), the
 * upstreams' quota use ({@link UpstreamQuotas}) and the token issuance rate (this node's).
 */
@Component
public class OpsOverview {

	/** @param openedBy {@code logins}, {@code probes} or {@code dependency} */
	public record OpenIncident(long id, String method, String cause, Instant openedAt, String openedBy) {
	}

	/**
	 * @param state {@code closed}, {@code half-open}, {@code open}, or another of Resilience4j's (lower case)
	 * @param failureRate percent of failed calls in the breaker's window; null until it has enough calls
	 */
	public record Circuit(String name, String state, Float failureRate) {

		public boolean closed() {
			return "closed".equals(this.state);
		}

	}

	public record Probe(String name, boolean ok, Instant checkedAt, long latencyMs, String detail) {
	}

	/**
	 * @param node this node's name: the counts are its own
	 * @param lastFiveMinutes tokens issued in the current minute and the four before
	 * @param lastHour in the current minute and the 59 before
	 * @param perMinute the last five minutes' average
	 * @param countingSince when this node started counting (a window reaching before it counts less)
	 */
	public record TokenRate(String node, long lastFiveMinutes, long lastHour, double perMinute, Instant countingSince) {
	}

	private final Incidents incidents;

	private final ObjectProvider<CircuitBreakerRegistry> breakers;

	private final AvailabilityProbes probes;

	private final ObjectProvider<UpstreamQuotas> quotas;

	private final TokenIssuance tokens;

	private final String node = dev.tongxing.server.kernel.NodeName.get();

	OpsOverview(Incidents incidents, ObjectProvider<CircuitBreakerRegistry> breakers, AvailabilityProbes probes,
			ObjectProvider<UpstreamQuotas> quotas, TokenIssuance tokens) {
		this.incidents = incidents;
		this.breakers = breakers;
		this.probes = probes;
		this.quotas = quotas;
		this.tokens = tokens;
	}

	/** Every incident open now, newest first. */
	public List<OpenIncident> openIncidents() {
		return this.incidents.allOpen()
			.stream()
			.map(i -> new OpenIncident(i.id(), i.method(), i.cause() == null ? null : i.cause().name(), i.openedAt(),
					i.openedBy()))
			.toList();
	}

	/** This node's circuit breakers (made on an upstream's first call), the ones not closed first. */
	public List<Circuit> circuits() {
		CircuitBreakerRegistry registry = this.breakers.getIfAvailable();
		if (registry == null) {
			return List.of();
		}
		List<Circuit> circuits = new ArrayList<>();
		for (CircuitBreaker breaker : registry.getAllCircuitBreakers()) {
			float rate = breaker.getMetrics().getFailureRate();
			circuits.add(new Circuit(breaker.getName(),
					breaker.getState().name().toLowerCase(Locale.ROOT).replace('_', '-'), rate < 0 ? null : rate));
		}
		circuits.sort(Comparator.comparing(Circuit::closed).thenComparing(Circuit::name));
		return circuits;
	}

	/** The newest result of each availability probe, from any node, within the last hour. */
	public List<Probe> probes() {
		return this.probes.latest()
			.values()
			.stream()
			.map(r -> new Probe(r.probe(), r.ok(), r.checkedAt(), r.latencyMs(), r.detail()))
			.sorted(Comparator.comparing(Probe::ok).thenComparing(Probe::name))
			.toList();
	}

	/** Every budgeted upstream API's quota use, from the packages that keep the budgets. */
	public List<UpstreamQuotas.QuotaUse> quotaUse() {
		return this.quotas.orderedStream().flatMap(q -> q.quotaUse().stream()).toList();
	}

	public TokenRate tokensIssued() {
		long five = this.tokens.inLastMinutes(5);
		return new TokenRate(this.node, five, this.tokens.inLastMinutes(TokenIssuance.MINUTES),
				Math.round(five / 5.0 * 10) / 10.0, this.tokens.started());
	}

	/** The node this answer's per-node figures come from. */
	public String node() {
		return this.node;
	}

}
