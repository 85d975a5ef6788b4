package dev.tongxing.server.ops;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Operations settings, under {@code tongxing.ops.*}.
 *
 * @param failures the failed-login records kept for operators
 * @param incident when an incident opens and resolves by itself
 * @param probes the availability probes, and when their failures open an incident
 */
@ConfigurationProperties("tongxing.ops")
public record OpsProperties(@DefaultValue Failures failures, @DefaultValue Incident incident,
		@DefaultValue Probes probes) {

	/**
	 * @param interval how often each node runs the probes
	 * @param failuresToOpen an incident opens when a method's probe failed this many times in a row (on any node)
	 * @param successesToResolve ... and resolves when every probe of the method succeeded this many times in a row
	 */
	public record Probes(@DefaultValue("60s") Duration interval, @DefaultValue("3") int failuresToOpen,
			@DefaultValue("2") int successesToResolve) {

		public Probes {
			if (interval.isNegative() || interval.isZero()) {
				throw new IllegalStateException("tongxing.ops.probes.interval must be more than 0");
			}
			if (failuresToOpen < 1 || failuresToOpen > 100) {
				throw new IllegalStateException("tongxing.ops.probes.failures-to-open must be between 1 and 100");
			}
			if (successesToResolve < 1 || successesToResolve > 100) {
				throw new IllegalStateException("tongxing.ops.probes.successes-to-resolve must be between 1 and 100");
			}
		}
	}

	/** @param retention how long failed-login records are kept */
	public record Failures(@DefaultValue("30d") Duration retention) {
	}

	/**
	 * @param threshold an incident opens when a method's success rate over the window falls below this
	 * @param minAttempts ... and the window holds at least this many attempts (a few failures at night are no
	 * incident)
	 * @param window how far back the success rate looks; an incident resolves after a whole window above the
	 * threshold
	 * @param checkInterval how often each node checks
	 * @param outageThreshold below this success rate an open incident shows the method as an outage, not degraded
	 */
	public record Incident(@DefaultValue("0.95") double threshold, @DefaultValue("20") int minAttempts,
			@DefaultValue("5m") Duration window, @DefaultValue("30s") Duration checkInterval,
			@DefaultValue("0.5") double outageThreshold) {
	}

}
