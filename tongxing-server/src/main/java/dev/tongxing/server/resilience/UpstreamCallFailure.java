package dev.tongxing.server.resilience;

/**
 * A guarded upstream call that got no answer because of the guard: it ran out of time, the app's circuit
 * breaker is open, or the app's bulkhead is full. Each connector turns it into its own failure, keeping
 * {@link Kind#code()} as the exact upstream error for operators.
 */
public class UpstreamCallFailure extends RuntimeException {

	public enum Kind {

		/** The call did not finish within its deadline (and was cancelled). */
		TIMEOUT("timeout"),
		/** The upstream failed too often recently: not called at all. */
		CIRCUIT_OPEN("circuit-open"),
		/** Too many calls to this upstream app in flight already: not called at all. */
		BULKHEAD_FULL("bulkhead-full");

		private final String code;

		Kind(String code) {
			this.code = code;
		}

		/** How operators read it in failure records: {@code timeout}, {@code circuit-open}, {@code bulkhead-full}. */
		public String code() {
			return this.code;
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
