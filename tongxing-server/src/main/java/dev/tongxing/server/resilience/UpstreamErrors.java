package dev.tongxing.server.resilience;

/** What an upstream's own exceptions mean to the guard; each connector supplies one. */
public interface UpstreamErrors {

	/**
	 * True for the upstream's own trouble (unreachable, 5xx, "system busy"): counted by the circuit breaker and,
	 * for calls safe to repeat, retried. A refusal of the request itself (a bad code, bad credentials) is no
	 * fault of the upstream.
	 */
	boolean upstreamFault(Throwable failure);

	/**
	 * Whether a call that is safe to repeat is worth another try after this failure: by default every upstream
	 * fault. A timed-out call is not retried (see {@link UpstreamGuard}), so an upstream's own timeouts should
	 * be excluded too.
	 */
	default boolean retryable(Throwable failure) {
		return upstreamFault(failure);
	}

	/** How the call ended, as the {@code outcome} tag of {@code tongxing.upstream.latency}. */
	default String outcome(Throwable failure) {
		return upstreamFault(failure) ? "unavailable" : "refused";
	}

}
