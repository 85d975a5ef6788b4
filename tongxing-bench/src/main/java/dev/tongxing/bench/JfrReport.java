package dev.tongxing.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Summarises a JFR recording of the load window ({@code --jfr=...}) for the token path: CPU samples of
 * Java threads grouped into buckets by what is on the stack (inclusive: a sample counts for every bucket one
 * of its frames matches, so the buckets overlap), the hottest top frames, the hottest inclusive frames of
 * the gateway's own and Spring Authorization Server's code, and allocation by bucket. Samples of the
 * raw-signing threads ({@code bench-sign-*}, busy between the load rounds) are left out. Needs only the JDK:
 * <pre>
 *   java -cp tongxing-bench/target/classes dev.tongxing.bench.JfrReport target/window.jfr [top-n] [frame-prefix...]
 * </pre>
 * With frame prefixes, the inclusive-frames list shows frames starting with one of them instead.
 */
public final class JfrReport {

	private JfrReport() {
	}

	/** A sample's "exclusive" bucket is the one of its matching frame nearest the top of the stack. */
	static final Map<String, Predicate<String>> BUCKETS = new LinkedHashMap<>();

	static {
		BUCKETS.put("RSA signature (Signature.sign)", f -> f.startsWith("java.security.Signature.sign")
				|| f.startsWith("com.nimbusds.jose.crypto.RSASSASigner.sign"));
		BUCKETS.put("JWT encode besides the signature (NimbusJwtEncoder, not sign)",
				f -> f.startsWith("org.springframework.security.oauth2.jwt.NimbusJwtEncoder"));
		BUCKETS.put("client lookup (RegisteredClientRepository.findByClientId)",
				f -> f.contains("RegisteredClientRepository.findBy"));
		BUCKETS.put("client secret check (PasswordEncoder.matches)", f -> f.contains("PasswordEncoder.matches")
				|| f.contains("VerifiedSecretCache.matches"));
		BUCKETS.put("authorization save (OAuth2AuthorizationService.save)",
				f -> f.contains("AuthorizationService.save"));
		BUCKETS.put("token response write (TokenResponseHandler)", f -> f.contains("TokenResponseHandler"));
		BUCKETS.put("Jackson (any)", f -> f.startsWith("tools.jackson.") || f.startsWith("com.fasterxml.jackson."));
		BUCKETS.put("JDBC / H2 (any)", f -> f.startsWith("org.h2.") || f.startsWith("org.springframework.jdbc.")
				|| f.startsWith("com.zaxxer.hikari."));
		BUCKETS.put("Micrometer observation / metrics", f -> f.startsWith("io.micrometer."));
		BUCKETS.put("Spring Security filter chain (any)", f -> f.startsWith("org.springframework.security.web."));
		BUCKETS.put("Spring session (SessionRepositoryFilter)", f -> f.startsWith("org.springframework.session."));
		BUCKETS.put("Tomcat / servlet container (any)", f -> f.startsWith("org.apache.catalina.")
				|| f.startsWith("org.apache.coyote.") || f.startsWith("org.apache.tomcat."));
		BUCKETS.put("load generator (dev.tongxing.bench)", f -> f.startsWith("dev.tongxing.bench."));
	}

	public static void main(String[] args) throws IOException {
		if (args.length < 1) {
			System.err.println("usage: JfrReport RECORDING.jfr [top-n]");
			System.exit(2);
		}
		int top = args.length > 1 ? Integer.parseInt(args[1]) : 25;
		List<String> prefixes = args.length > 2 ? List.of(args).subList(2, args.length)
				: List.of("dev.tongxing.server.", "org.springframework.security.oauth2.server.authorization.",
						"org.springframework.security.oauth2.jwt.");
		System.out.print(report(Path.of(args[0]), top, prefixes));
	}

	static String report(Path recording, int top, List<String> prefixes) throws IOException {
		long samples = 0;
		Map<String, Long> inclusive = new HashMap<>();
		Map<String, Long> exclusive = new HashMap<>();
		Map<String, Long> topFrames = new HashMap<>();
		Map<String, Long> ownFrames = new HashMap<>();
		Map<String, Long> allocation = new HashMap<>();
		Map<String, Long> allocatedClasses = new HashMap<>();
		long allocatedTotal = 0;
		try (RecordingFile file = new RecordingFile(recording)) {
			while (file.hasMoreEvents()) {
				RecordedEvent event = file.readEvent();
				String type = event.getEventType().getName();
				boolean cpu = type.equals("jdk.ExecutionSample");
				boolean alloc = type.equals("jdk.ObjectAllocationSample");
				if (!cpu && !alloc) {
					continue;
				}
				// the raw-signing bursts between the load rounds are not the gateway's work
				var thread = event.getThread(cpu ? "sampledThread" : "eventThread");
				if (thread != null && thread.getJavaName() != null && thread.getJavaName().startsWith("bench-sign-")) {
					continue;
				}
				RecordedStackTrace stack = event.getStackTrace();
				List<String> frames = new ArrayList<>();
				if (stack != null) {
					for (RecordedFrame frame : stack.getFrames()) {
						if (frame.isJavaFrame()) {
							frames.add(frame.getMethod().getType().getName() + "." + frame.getMethod().getName());
						}
					}
				}
				if (alloc) {
					long weight = event.getLong("weight");
					allocatedTotal += weight;
					allocation.merge(exclusiveBucket(frames), weight, Long::sum);
					allocatedClasses.merge(event.getClass("objectClass").getName(), weight, Long::sum);
					continue;
				}
				samples++;
				if (!frames.isEmpty()) {
					topFrames.merge(frames.get(0), 1L, Long::sum);
				}
				Set<String> seenBuckets = new HashSet<>();
				Set<String> seenFrames = new HashSet<>();
				for (String f : frames) {
					for (var bucket : BUCKETS.entrySet()) {
						if (bucket.getValue().test(f) && seenBuckets.add(bucket.getKey())) {
							inclusive.merge(bucket.getKey(), 1L, Long::sum);
						}
					}
					if (prefixes.stream().anyMatch(f::startsWith) && seenFrames.add(f)) {
						ownFrames.merge(f, 1L, Long::sum);
					}
				}
				exclusive.merge(exclusiveBucket(frames), 1L, Long::sum);
			}
		}
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT, "%d CPU samples of Java threads in %s%n%n", samples, recording));
		out.append("Inclusive by bucket (a sample counts once per bucket on its stack; buckets overlap):\n");
		appendSorted(out, inclusive, samples, BUCKETS.size());
		out.append("\nExclusive by bucket (the matching frame nearest the top of the stack; 'other' = none):\n");
		appendSorted(out, exclusive, samples, BUCKETS.size() + 1);
		out.append("\nHottest top frames:\n");
		appendSorted(out, topFrames, samples, top);
		out.append("\nHottest inclusive frames starting with " + prefixes + ":\n");
		appendSorted(out, ownFrames, samples, top);
		out.append(String.format(Locale.ROOT, "%nAllocation (sampled weight %.0f MB) by bucket:%n", allocatedTotal / 1e6));
		appendSorted(out, allocation, allocatedTotal, BUCKETS.size() + 1);
		out.append("\nAllocation by class:\n");
		appendSorted(out, allocatedClasses, allocatedTotal, 12);
		return out.toString();
	}

	/** The bucket of the matching frame nearest the top of the stack (the most specific component). */
	private static String exclusiveBucket(List<String> frames) {
		for (String f : frames) {
			for (var bucket : BUCKETS.entrySet()) {
				if (bucket.getValue().test(f)) {
					return bucket.getKey();
				}
			}
		}
		return "other";
	}

	private static void appendSorted(StringBuilder out, Map<String, Long> counts, long total, int limit) {
		counts.entrySet()
			.stream()
			.sorted(Map.Entry.<String, Long>comparingByValue().reversed())
			.limit(limit)
			.forEach(e -> out.append(String.format(Locale.ROOT, "  %5.1f%%  %s%n", 100.0 * e.getValue() / total,
					e.getKey())));
	}

}
