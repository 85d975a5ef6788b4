package dev.tongxing.server.resilience;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedTimeLimiterMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Resilience4j registries shared by every upstream, and their meters ({@code resilience4j_circuitbreaker_*},
 * {@code resilience4j_bulkhead_*}, {@code resilience4j_timelimiter_*}, {@code resilience4j_retry_*}, tagged
 * {@code name}, {@code upstream} and {@code app}).
 */
@Configuration(proxyBeanMethods = false)
class ResilienceConfig {

	@Bean
	CircuitBreakerRegistry circuitBreakerRegistry(ResilienceProperties properties) {
		// breakers are made by UpstreamCalls with each upstream's settings; this default serves any other
		ResilienceProperties.Policy policy = properties.policy("default");
		return CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(policy.slidingWindowSize())
			.minimumNumberOfCalls(policy.minimumCalls())
			.failureRateThreshold(policy.failureRateThreshold())
			.waitDurationInOpenState(policy.openDuration())
			.permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
			.build());
	}

	@Bean
	BulkheadRegistry bulkheadRegistry() {
		return BulkheadRegistry.ofDefaults();
	}

	@Bean
	TimeLimiterRegistry timeLimiterRegistry() {
		return TimeLimiterRegistry.ofDefaults();
	}

	@Bean
	RetryRegistry retryRegistry() {
		return RetryRegistry.ofDefaults();
	}

	@Bean
	UpstreamCalls upstreamCalls(ResilienceProperties properties, CircuitBreakerRegistry breakers,
			BulkheadRegistry bulkheads, TimeLimiterRegistry timeLimiters, RetryRegistry retries) {
		return new UpstreamCalls(properties, breakers, bulkheads, timeLimiters, retries);
	}

	@Bean
	MeterBinder circuitBreakerMeters(CircuitBreakerRegistry breakers) {
		return TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers);
	}

	@Bean
	MeterBinder bulkheadMeters(BulkheadRegistry bulkheads) {
		return TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads);
	}

	@Bean
	MeterBinder timeLimiterMeters(TimeLimiterRegistry timeLimiters) {
		return TaggedTimeLimiterMetrics.ofTimeLimiterRegistry(timeLimiters);
	}

	@Bean
	MeterBinder retryMeters(RetryRegistry retries) {
		return TaggedRetryMetrics.ofRetryRegistry(retries);
	}

}
