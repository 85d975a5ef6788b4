package dev.tongxing.server.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalFunction;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import io.github.resilience4j.retry.RetryRegistry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import io.github.resilience4j.timelimiter.TimeLimiterConfig;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.springframework.beans.factory.DisposableBean;

/**
 * The one place that guards calls to upstreams: hands out an {@link UpstreamGuard} per upstream (and, for
 * OpenID Connect, per provider), whose Resilience4j parts — a circuit breaker, a semaphore bulkhead, a time
 * limiter and a retry per (upstream, app) — live in shared registries named {@code <upstream>:<app>} and
 * tagged {@code upstream} and {@code app} for metrics.
 */
public class UpstreamCalls implements DisposableBean {

	private final ResilienceProperties properties;

	private final CircuitBreakerRegistry breakers;

	private final BulkheadRegistry bulkheads;

	private final TimeLimiterRegistry timeLimiters;

	private final RetryRegistry retries;

	/** Each attempt runs on a virtual thread of its own, so the deadline holds whatever the call blocks on. */
	private final ExecutorService attempts = Executors.newThreadPerTaskExecutor(
			Thread.ofVirtual().name("upstream-call-", 0).factory());

	private final List<UpstreamCallObserver> observers = new CopyOnWriteArrayList<>();

	public UpstreamCalls(ResilienceProperties properties, CircuitBreakerRegistry breakers, BulkheadRegistry bulkheads,
			TimeLimiterRegistry timeLimiters, RetryRegistry retries) {
		this.properties = properties;
		this.breakers = breakers;
		this.bulkheads = bulkheads;
		this.timeLimiters = timeLimiters;
		this.retries = retries;
	}

	/** With the built-in settings and registries of its own (tests, tools). */
	public static UpstreamCalls withDefaults() {
		return new UpstreamCalls(new ResilienceProperties(ResilienceProperties.Policy.UNSET, Map.of()),
				CircuitBreakerRegistry.ofDefaults(), BulkheadRegistry.ofDefaults(), TimeLimiterRegistry.ofDefaults(),
				RetryRegistry.ofDefaults());
	}

	/**
	 * @param upstream {@code wechat}, {@code sms}, {@code oidc}: names the settings under
	 * {@code tongxing.resilience.upstreams}
	 * @param ownTimeout the upstream's own timeout setting, the deadline unless {@code tongxing.resilience}
	 * sets one
	 */
	public UpstreamGuard guard(String upstream, Duration ownTimeout, UpstreamErrors errors) {
		ResilienceProperties.Policy policy = this.properties.policy(upstream);
		Duration timeout = policy.timeout() != null ? policy.timeout() : ownTimeout;
		return new UpstreamGuard(this, upstream, policy, timeout, errors);
	}

	/** Adds an observer of every attempt (metrics); set at start-up. */
	public void observe(UpstreamCallObserver observer) {
		this.observers.add(observer);
	}

	void observed(String upstream, String app, String endpoint, String outcome, long nanos) {
		for (UpstreamCallObserver observer : this.observers) {
			observer.observe(upstream, app, endpoint, outcome, nanos);
		}
	}

	ExecutorService attempts() {
		return this.attempts;
	}

	CircuitBreaker breaker(String upstream, String app, ResilienceProperties.Policy policy) {
		return this.breakers.circuitBreaker(name(upstream, app), () -> CircuitBreakerConfig.custom()
			.slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
			.slidingWindowSize(policy.slidingWindowSize())
			.minimumNumberOfCalls(policy.minimumCalls())
			.failureRateThreshold(policy.failureRateThreshold())
			.slowCallDurationThreshold(policy.slowCallDuration())
			.slowCallRateThreshold(policy.slowCallRateThreshold())
			.waitDurationInOpenState(policy.openDuration())
			.permittedNumberOfCallsInHalfOpenState(policy.halfOpenCalls())
			// the guard itself decides what is a failure (UpstreamErrors) and reports only those as errors
			.build(), tags(upstream, app));
	}

	Bulkhead bulkhead(String upstream, String app, ResilienceProperties.Policy policy) {
		return this.bulkheads.bulkhead(name(upstream, app), () -> BulkheadConfig.custom()
			.maxConcurrentCalls(policy.bulkheadSize())
			.maxWaitDuration(policy.bulkheadWait())
			.build(), tags(upstream, app));
	}

	TimeLimiter timeLimiter(String upstream, String app, Duration timeout) {
		return this.timeLimiters.timeLimiter(name(upstream, app),
				() -> TimeLimiterConfig.custom().timeoutDuration(timeout).cancelRunningFuture(true).build(),
				tags(upstream, app));
	}

	Retry retry(String upstream, String app, ResilienceProperties.Policy policy, UpstreamErrors errors) {
		return this.retries.retry(name(upstream, app), () -> RetryConfig.custom()
			.maxAttempts(policy.retryAttempts())
			.intervalFunction(IntervalFunction.ofExponentialRandomBackoff(policy.retryBackoff(),
					policy.retryMultiplier(), policy.retryJitter()))
			.retryOnException(failure -> UpstreamGuard.transientFailure(failure, errors))
			.failAfterMaxAttempts(false)
			.build(), tags(upstream, app));
	}

	/** The name of an app's breaker, bulkhead, time limiter and retry: {@code wechat:wx…}, {@code oidc:corp}. */
	public static String name(String upstream, String app) {
		return upstream + ":" + app;
	}

	private static Map<String, String> tags(String upstream, String app) {
		return Map.of("upstream", upstream, "app", app);
	}

	@Override
	public void destroy() {
		this.attempts.shutdownNow();
	}

}
