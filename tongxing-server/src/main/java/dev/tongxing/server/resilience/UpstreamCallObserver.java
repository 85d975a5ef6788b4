package dev.tongxing.server.resilience;

/** Told of every attempt of every guarded upstream call (metrics). */
@FunctionalInterface
public interface UpstreamCallObserver {

	/**
	 * @param outcome {@code success}, {@code timeout}, {@code circuit_open}, {@code bulkhead_full} or the
	 * upstream's own ({@link UpstreamErrors#outcome})
	 */
	void observe(String upstream, String app, String endpoint, String outcome, long nanos);

}
