package dev.tongxing.server.ops;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The probes in {@code /actuator/health} as details. Always UP on purpose: WeChat being down must not make
 * a load balancer pull every gateway node (phone login still works); liveness and readiness ignore it.
 */
@Component("upstreams")
class UpstreamProbesHealth implements HealthIndicator {

	private final AvailabilityProbes probes;

	UpstreamProbesHealth(AvailabilityProbes probes) {
		this.probes = probes;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up();
		this.probes.latest().forEach((name, result) -> health.withDetail(name, result.ok() ? "ok" : "failing"));
		return health.build();
	}

}
