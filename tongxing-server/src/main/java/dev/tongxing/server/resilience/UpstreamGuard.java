package dev.tongxing.server.resilience;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.timelimiter.TimeLimiter;
import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Guards the calls to one upstream, per app: the app's circuit breaker, then its bulkhead, then a deadline;
 * calls marked {@link Repeat#SAFE} are retried on transient failures with exponential, jittered backoff.
 * A call that ran out of time is not retried: the deadline is the longest a person waits for one call, and
 * a slow upstream is not helped by more calls.
 * <p>
 * The deadline: each attempt runs on a fresh virtual thread and the caller waits for it with a Resilience4j
 * {@link TimeLimiter}, which cancels (interrupts) the attempt when time is up. A blocking call on a virtual
 * thread is cheap to park and the JDK HTTP client gives up on interrupt, so the deadline covers everything
 * — DNS, connecting, waiting, reading a body that trickles — where socket timeouts only cover each wait.
 * The attempt keeps its bulkhead permit until it has really stopped.
 */
public final class UpstreamGuard {

	private final UpstreamCalls calls;

	private final String upstream;

	private final ResilienceProperties.Policy policy;

	private final Duration timeout;

	private final UpstreamErrors errors;

	UpstreamGuard(UpstreamCalls calls, String upstream, ResilienceProperties.Policy policy, Duration timeout,
			UpstreamErrors errors) {
		this.calls = calls;
		this.upstream = upstream;
		this.policy = policy;
		this.timeout = timeout;
		this.errors = errors;
	}

	/** The deadline of one attempt. */
	public Duration timeout() {
		return this.timeout;
	}

	/** The app's circuit breaker (its state tells the login page whether the method is failing). */
	public CircuitBreaker breaker(String app) {
		return this.calls.breaker(this.upstream, app, this.policy);
	}

	/** The app's bulkhead. */
	public Bulkhead bulkhead(String app) {
		return this.calls.bulkhead(this.upstream, app, this.policy);
	}

	/**
	 * Calls {@code call} for {@code app} under the guard.
	 * @param endpoint what is called, for metrics
	 * @throws UpstreamCallFailure when the guard stopped it (timeout, open breaker, full bulkhead)
	 * @throws RuntimeException whatever {@code call} threw, unchanged
	 */
	public <T> T call(String app, String endpoint, Repeat repeat, Supplier<T> call) {
		Supplier<T> once = () -> attempt(app, endpoint, call);
		if (repeat == Repeat.SAFE && this.policy.retryAttempts() > 1) {
			Retry retry = this.calls.retry(this.upstream, app, this.policy, this.errors);
			return retry.executeSupplier(once);
		}
		return once.get();
	}

	private <T> T attempt(String app, String endpoint, Supplier<T> call) {
		CircuitBreaker breaker = breaker(app);
		long start = System.nanoTime();
		if (!breaker.tryAcquirePermission()) {
			this.calls.observed(this.upstream, app, endpoint, UpstreamCallFailure.Kind.CIRCUIT_OPEN.code(),
					System.nanoTime() - start);
			throw new UpstreamCallFailure(UpstreamCallFailure.Kind.CIRCUIT_OPEN,
					this.upstream + " calls for " + app + " are paused: too many recent failures", null);
		}
		Bulkhead bulkhead = bulkhead(app);
		if (!bulkhead.tryAcquirePermission()) {
			breaker.releasePermission(); // our own limit says nothing about the upstream
			this.calls.observed(this.upstream, app, endpoint, UpstreamCallFailure.Kind.BULKHEAD_FULL.code(),
					System.nanoTime() - start);
			throw new UpstreamCallFailure(UpstreamCallFailure.Kind.BULKHEAD_FULL,
					"too many " + this.upstream + " calls for " + app + " in flight", null);
		}
		Attempt<T> attempt = new Attempt<>(call, bulkhead);
		try {
			this.calls.attempts().execute(attempt);
		}
		catch (RejectedExecutionException ex) { // shutting down
			attempt.release();
			breaker.releasePermission();
			throw ex;
		}
		String outcome = "success";
		try {
			TimeLimiter limiter = this.calls.timeLimiter(this.upstream, app, this.timeout);
			T result = limiter.executeFutureSupplier(() -> attempt);
			breaker.onResult(System.nanoTime() - start, TimeUnit.NANOSECONDS, result);
			return result;
		}
		catch (TimeoutException ex) {
			outcome = "timeout";
			UpstreamCallFailure failure = new UpstreamCallFailure(UpstreamCallFailure.Kind.TIMEOUT,
					this.upstream + " " + endpoint + " for " + app + " took longer than " + this.timeout, ex);
			breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, failure);
			throw failure;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			attempt.cancel(true);
			breaker.releasePermission();
			outcome = "interrupted";
			throw new IllegalStateException("interrupted while calling " + this.upstream, ex);
		}
		catch (RuntimeException ex) {
			outcome = this.errors.outcome(ex);
			if (this.errors.upstreamFault(ex)) {
				breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
			}
			else {
				// the upstream answered, even if it said no: a healthy upstream
				breaker.onSuccess(System.nanoTime() - start, TimeUnit.NANOSECONDS);
			}
			throw ex;
		}
		catch (Exception ex) { // a checked exception smuggled out of the supplier
			outcome = "error";
			breaker.onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, ex);
			throw new IllegalStateException(ex);
		}
		catch (Error ex) {
			outcome = "error";
			breaker.releasePermission();
			throw ex;
		}
		finally {
			this.calls.observed(this.upstream, app, endpoint, outcome, System.nanoTime() - start);
		}
	}

	/**
	 * One attempt on its own virtual thread. It holds its bulkhead permit until the call has really stopped —
	 * after a timeout, until the interrupt has ended it — and gives it back exactly once.
	 */
	private static final class Attempt<T> extends FutureTask<T> {

		private final Bulkhead bulkhead;

		private final AtomicBoolean released = new AtomicBoolean();

		Attempt(Supplier<T> call, Bulkhead bulkhead) {
			super(call::get);
			this.bulkhead = bulkhead;
		}

		/** Runs the call (or nothing, when cancelled before it began) and then gives the permit back. */
		@Override
		public void run() {
			try {
				super.run();
			}
			finally {
				release();
			}
		}

		void release() {
			if (this.released.compareAndSet(false, true)) {
				this.bulkhead.onComplete();
			}
		}

	}

	/**
	 * A failure that may go away by itself at once (a "system busy", a dropped connection, a 5xx): worth another
	 * try of a call that is safe to repeat. The guard's own failures are not: a timeout means the upstream is
	 * slow, and an open breaker or a full bulkhead would refuse again.
	 */
	static boolean transientFailure(Throwable failure, UpstreamErrors errors) {
		return !(failure instanceof UpstreamCallFailure) && errors.retryable(failure);
	}

}
