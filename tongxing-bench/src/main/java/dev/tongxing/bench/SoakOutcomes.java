package dev.tongxing.bench;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Every operation's result: a success, or an error counted under its cause. A cause is what the gateway said
 * (its login error, the OAuth error code, the HTTP status) or what happened to the connection, marked
 * "(node down)" when a node was killed, or was not serving again yet, while the operation ran: a connection cut
 * by a kill is what a kill does; the same cut with both nodes up is not. An exception nothing here knows is counted as
 * {@code unclassified}, which the soak fails on: every error must have a cause.
 */
final class SoakOutcomes {

	static final String UNCLASSIFIED = "unclassified";

	private final Map<String, AtomicLong> successes = new ConcurrentHashMap<>();

	private final Map<String, Map<String, AtomicLong>> errors = new ConcurrentHashMap<>();

	/** The first example of each (operation, cause). */
	private final Map<String, String> examples = new ConcurrentHashMap<>();

	void success(String operation) {
		this.successes.computeIfAbsent(operation, o -> new AtomicLong()).incrementAndGet();
	}

	/**
	 * @param duringKill a node was killed, down or starting while the operation ran: the cause is marked, so the
	 * errors a kill brings are told apart from the rest
	 */
	void failure(String operation, Throwable failure, boolean duringKill) {
		String cause = cause(failure) + (duringKill ? " (node down)" : "");
		this.errors.computeIfAbsent(operation, o -> new ConcurrentHashMap<>())
			.computeIfAbsent(cause, c -> new AtomicLong())
			.incrementAndGet();
		this.examples.putIfAbsent(operation + " / " + cause, String.valueOf(failure));
	}

	private String cause(Throwable failure) {
		if (failure instanceof SoakFailure soak) {
			return soak.failureCause();
		}
		return switch (failure) {
			case HttpConnectTimeoutException t -> "connect timeout";
			case HttpTimeoutException t -> "timeout";
			case ConnectException c -> "connection refused";
			case IOException io -> "connection closed";
			default -> UNCLASSIFIED + " " + failure.getClass().getSimpleName();
		};
	}

	long successes(String operation) {
		AtomicLong n = this.successes.get(operation);
		return n == null ? 0 : n.get();
	}

	/** Per operation: cause to count, sorted. */
	Map<String, Map<String, Long>> errors() {
		Map<String, Map<String, Long>> result = new TreeMap<>();
		this.errors.forEach((op, causes) -> {
			Map<String, Long> sorted = new TreeMap<>();
			causes.forEach((c, n) -> sorted.put(c, n.get()));
			result.put(op, sorted);
		});
		return result;
	}

	long errorCount(String operation) {
		Map<String, AtomicLong> causes = this.errors.get(operation);
		return causes == null ? 0 : causes.values().stream().mapToLong(AtomicLong::get).sum();
	}

	long unclassified() {
		return this.errors.values().stream().flatMap(m -> m.entrySet().stream())
			.filter(e -> e.getKey().startsWith(UNCLASSIFIED)).mapToLong(e -> e.getValue().get()).sum();
	}

	Map<String, String> examples() {
		return new TreeMap<>(this.examples);
	}

}
