package dev.tongxing.server.resilience;

/**
 * A guarded upstream call that got no answer because of the guard: it ran out of time, the app's circuit
 * breaker is open, or the app's bulkhead is full. Each connector turns it into its own failure, keeping
 * {@link Kind#code()} as the exact upstream error for operators.
 */
public class UpstreamCallFailure extends RuntimeException {

	public enum Kind {

		/** The call did not finish within its deadline (and was cancelled). */
		TIMEOUT,
		/** The upstream failed too often recently: not called at all. */
		CIRCUIT_OPEN,
		/** Too many calls to this upstream app in flight already: not called at all. */
		BULKHEAD_FULL;

		/** How operators read it in failure records: {@code timeout}, {@code circuit_open}, {@code bulkhead_full}. */
		public String code() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

	private final Kind kind;

	UpstreamCallFailure(Kind kind, String message, Throwable cause) {
		super(message, cause, false, false);
		this.kind = kind;
	}

	public Kind kind() {
		return this.kind;
	}

	/** The guard's failure in {@code failure}'s cause chain, or null. */
	public static UpstreamCallFailure in(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof UpstreamCallFailure guard) {
				return guard;
			}
		}
		return null;
	}

}
