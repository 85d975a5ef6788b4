package dev.tongxing.server.ops;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * {@code tongxing.upstream.circuit.state} per circuit breaker: 0 closed, 1 half-open, 2 open (3 for the
 * forced and disabled states). Breakers are created on first use, so later ones are bound as they appear.
 */
@Component
class CircuitBreakerGauges implements SmartInitializingSingleton {

	private final ObjectProvider<CircuitBreakerRegistry> breakers;

	private final MeterRegistry registry;

	CircuitBreakerGauges(ObjectProvider<CircuitBreakerRegistry> breakers, MeterRegistry registry) {
		this.breakers = breakers;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.breakers.ifAvailable(registry -> {
			registry.getEventPublisher().onEntryAdded(added -> bind(added.getAddedEntry()));
			registry.getAllCircuitBreakers().forEach(this::bind);
		});
	}

	private void bind(CircuitBreaker breaker) {
		Gauge.builder("tongxing.upstream.circuit.state", breaker, b -> state(b.getState()))
			.description("Circuit breaker state: 0 closed, 1 half-open, 2 open, 3 forced open or disabled")
			.tag("breaker", breaker.getName())
			.register(this.registry);
		Gauge.builder("tongxing.upstream.circuit.failure.rate", breaker, b -> b.getMetrics().getFailureRate())
			.description("Failure rate in the breaker's window (percent; -1 until it has enough calls)")
			.tag("breaker", breaker.getName())
			.register(this.registry);
	}

	static int state(CircuitBreaker.State state) {
		return switch (state) {
			case CLOSED -> 0;
			case HALF_OPEN -> 1;
			case OPEN -> 2;
			default -> 3;
		};
	}

}
