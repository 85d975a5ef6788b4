package dev.tongxing.server.ops;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Latency histograms (Prometheus buckets) for our endpoints and the upstreams, so percentiles can be aggregated. */
@Configuration(proxyBeanMethods = false)
class MetricsConfig {

	@Bean
	MeterFilter latencyHistograms() {
		return new MeterFilter() {
			@Override
			public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
				if (id.getName().equals("http.server.requests") || id.getName().equals("tongxing.upstream.latency")) {
					return DistributionStatisticConfig.builder()
						.percentilesHistogram(true)
						.minimumExpectedValue((double) Duration.ofMillis(2).toNanos())
						.maximumExpectedValue((double) Duration.ofSeconds(30).toNanos())
						.build()
						.merge(config);
				}
				return config;
			}
		};
	}

}
