package dev.tongxing.server.analytics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.stereotype.Component;

/**
 * {@code tongxing_login_success_target}: the configured success-rate target (0–1), so an alert rule can compare
 * {@code tongxing_login_attempts_total} against the same line the analytics page draws.
 */
@Component
class SuccessTargetGauge implements MeterBinder {

	private final AnalyticsProperties properties;

	SuccessTargetGauge(AnalyticsProperties properties) {
		this.properties = properties;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("tongxing.login.success.target", this.properties, AnalyticsProperties::successTarget)
			.description("The login success-rate target (tongxing.analytics.success-target)")
			.register(registry);
	}

}
