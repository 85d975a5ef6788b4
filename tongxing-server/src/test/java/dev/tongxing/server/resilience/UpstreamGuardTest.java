package dev.tongxing.server.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The guard on its own: deadline, retries only where safe, what the breaker counts, settings checked at start. */
class UpstreamGuardTest {

	static final class Fault extends RuntimeException {

		Fault() {
			super("upstream busy");
		}

	}

	static final class Refusal extends RuntimeException {

		Refusal() {
			super("bad code");
		}

	}

	static final UpstreamErrors ERRORS = failure -> failure instanceof Fault;

	final UpstreamCalls calls = UpstreamCalls.withDefaults();

	final UpstreamGuard guard = this.calls.guard("test", Duration.ofMillis(200), ERRORS);

	@Test
	void aBlockingCallIsCancelledAtItsDeadlineAndGivesItsPermitBack() throws Exception {
		AtomicInteger interrupted = new AtomicInteger();
		long started = System.nanoTime();
		assertThatThrownBy(() -> this.guard.call("app", "slow", Repeat.SAFE, () -> {
			try {
				Thread.sleep(5_000);
			}
			catch (InterruptedException ex) {
				interrupted.incrementAndGet();
			}
			return "late";
		})).isInstanceOfSatisfying(UpstreamCallFailure.class,
				ex -> assertThat(ex.kind()).isEqualTo(UpstreamCallFailure.Kind.TIMEOUT));
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as("long before the call would have ended")
			.isLessThan(Duration.ofSeconds(4));
		long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
		while (interrupted.get() == 0 && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(interrupted.get()).as("the abandoned call was interrupted, once: a timeout is not retried")
			.isEqualTo(1);
		Thread.sleep(50);
		assertThat(this.guard.bulkhead("app").getMetrics().getAvailableConcurrentCalls()).isEqualTo(25);
	}

	@Test
	void onlyCallsSafeToRepeatAreRetriedAndOnlyOnFaults() {
		AtomicInteger safe = new AtomicInteger();
		assertThat(this.guard.call("app", "userinfo", Repeat.SAFE, () -> {
			if (safe.incrementAndGet() < 3) {
				throw new Fault();
			}
			return "ok";
		})).isEqualTo("ok");
		assertThat(safe).hasValue(3);

		AtomicInteger once = new AtomicInteger();
		assertThatThrownBy(() -> this.guard.call("app", "exchange", Repeat.NEVER, () -> {
			once.incrementAndGet();
			throw new Fault();
		})).isInstanceOf(Fault.class);
		assertThat(once).hasValue(1);

		AtomicInteger refused = new AtomicInteger();
		assertThatThrownBy(() -> this.guard.call("app", "userinfo", Repeat.SAFE, () -> {
			refused.incrementAndGet();
			throw new Refusal();
		})).isInstanceOf(Refusal.class);
		assertThat(refused).as("a refusal would only be refused again").hasValue(1);
	}

	@Test
	void theBreakerCountsTheUpstreamsFaultsPerAppNotItsRefusals() {
		for (int i = 0; i < 10; i++) {
			assertThatThrownBy(() -> this.guard.call("a", "exchange", Repeat.NEVER, () -> {
				throw new Refusal();
			})).isInstanceOf(Refusal.class);
		}
		assertThat(this.guard.breaker("a").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
		for (int i = 0; i < 5; i++) {
			assertThatThrownBy(() -> this.guard.call("b", "exchange", Repeat.NEVER, () -> {
				throw new Fault();
			})).isInstanceOf(Fault.class);
		}
		assertThat(this.guard.breaker("b").getState()).isEqualTo(CircuitBreaker.State.OPEN);
		AtomicInteger called = new AtomicInteger();
		assertThatThrownBy(() -> this.guard.call("b", "exchange", Repeat.SAFE, called::incrementAndGet))
			.isInstanceOfSatisfying(UpstreamCallFailure.class,
					ex -> assertThat(ex.kind().code()).isEqualTo("circuit_open"));
		assertThat(called).hasValue(0);
		assertThat(this.guard.call("a", "exchange", Repeat.NEVER, () -> "still fine")).isEqualTo("still fine");
	}

	@Test
	void everyAttemptIsObservedWithItsOutcome() {
		List<String> seen = new CopyOnWriteArrayList<>();
		this.calls.observe((upstream, app, endpoint, outcome, nanos) -> seen.add(upstream + " " + endpoint + " " + outcome));
		this.guard.call("app", "token", Repeat.NEVER, () -> "ok");
		assertThatThrownBy(() -> this.guard.call("app", "token", Repeat.NEVER, () -> {
			throw new Fault();
		}));
		assertThat(seen).containsExactly("test token success", "test token unavailable");
	}

	@Test
	void retriesWaitLongerEachTimeWithJitterSoCallersDoNotRetryInStep() {
		ResilienceProperties.Policy policy = ResilienceProperties.Policy.BUILT_IN;
		var intervals = this.calls.retry("test", "jitter", policy, ERRORS).getRetryConfig().getIntervalBiFunction();
		double backoff = policy.retryBackoff().toMillis();
		double jitter = policy.retryJitter();
		java.util.Set<Long> firstWaits = new java.util.HashSet<>();
		for (int i = 0; i < 50; i++) {
			long first = intervals.apply(1, null);
			long second = intervals.apply(2, null);
			assertThat((double) first).isBetween(backoff * (1 - jitter) - 1, backoff * (1 + jitter) + 1);
			assertThat((double) second).isBetween(backoff * policy.retryMultiplier() * (1 - jitter) - 1,
					backoff * policy.retryMultiplier() * (1 + jitter) + 1);
			firstWaits.add(first);
		}
		assertThat(jitter).isPositive();
		assertThat(firstWaits).as("jittered: not all the same").hasSizeGreaterThan(1);
	}

	@Test
	void overridesFallBackToDefaultsThenBuiltIns() {
		ResilienceProperties.Policy defaults = new ResilienceProperties.Policy(null, 10, null, null, null, null, null,
				null, null, null, 2, null, null, null);
		ResilienceProperties.Policy wechat = new ResilienceProperties.Policy(Duration.ofSeconds(1), null, null, null,
				null, null, null, null, null, null, 1, null, null, null);
		ResilienceProperties properties = new ResilienceProperties(defaults, Map.of("wechat", wechat));
		assertThat(properties.policy("wechat").timeout()).isEqualTo(Duration.ofSeconds(1));
		assertThat(properties.policy("wechat").retryAttempts()).isEqualTo(1);
		assertThat(properties.policy("wechat").bulkheadSize()).isEqualTo(10);
		assertThat(properties.policy("sms").retryAttempts()).isEqualTo(2);
		assertThat(properties.policy("sms").timeout()).as("unset: the upstream's own").isNull();
		assertThat(properties.policy("sms").openDuration()).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void badSettingsStopTheStartWithEveryProblemNamed() {
		ResilienceProperties.Policy bad = new ResilienceProperties.Policy(Duration.ZERO, 0, null, 150f, null, null,
				null, null, null, null, 20, null, null, 1.5);
		assertThatThrownBy(() -> new ResilienceProperties(ResilienceProperties.Policy.UNSET, Map.of("sms", bad)))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("tongxing.resilience.upstreams.sms.timeout")
			.hasMessageContaining("tongxing.resilience.upstreams.sms.bulkhead-size")
			.hasMessageContaining("tongxing.resilience.upstreams.sms.failure-rate-threshold")
			.hasMessageContaining("tongxing.resilience.upstreams.sms.retry-attempts")
			.hasMessageContaining("tongxing.resilience.upstreams.sms.retry-jitter");
	}

}
