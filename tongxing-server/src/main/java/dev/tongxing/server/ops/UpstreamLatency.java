package dev.tongxing.server.ops;

import dev.tongxing.server.connector.wechat.WechatApiClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/** {@code tongxing.upstream.latency}: every upstream call, by upstream, endpoint and outcome. */
@Component
class UpstreamLatency implements SmartInitializingSingleton {

	private final ObjectProvider<WechatApiClient> wechat;

	private final MeterRegistry registry;

	UpstreamLatency(ObjectProvider<WechatApiClient> wechat, MeterRegistry registry) {
		this.wechat = wechat;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.wechat.ifAvailable(client -> client.observeCalls((endpoint, outcome, nanos) -> record("wechat", endpoint,
				outcome, nanos)));
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
