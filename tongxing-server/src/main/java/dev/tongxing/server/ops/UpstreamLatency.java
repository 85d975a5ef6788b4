package dev.tongxing.server.ops;

import dev.tongxing.server.resilience.UpstreamCalls;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * {@code tongxing.upstream.latency}: every attempt of every upstream call (WeChat, SMS, OpenID Connect
 * providers), by upstream, endpoint and outcome.
 */
@Component
class UpstreamLatency implements SmartInitializingSingleton {

	private final ObjectProvider<UpstreamCalls> calls;

	private final MeterRegistry registry;

	UpstreamLatency(ObjectProvider<UpstreamCalls> calls, MeterRegistry registry) {
		this.calls = calls;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.calls.ifAvailable(calls -> calls
			.observe((upstream, app, endpoint, outcome, nanos) -> record(upstream, endpoint, outcome, nanos)));
	}

	void record(String upstream, String endpoint, String outcome, long nanos) {
		Timer.builder("tongxing.upstream.latency")
			.description("Calls to upstreams")
			.tag("upstream", upstream)
			.tag("endpoint", Labels.tag(endpoint))
			.tag("outcome", outcome)
			.register(this.registry)
			.record(nanos, TimeUnit.NANOSECONDS);
	}

}
