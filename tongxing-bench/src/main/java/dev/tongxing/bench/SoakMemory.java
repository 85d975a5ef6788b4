package dev.tongxing.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Each node process's memory over its lifetime (a restart starts a new one: memory starts again from nothing,
 * so lifetimes are judged apart). A sample is the resident set size ({@code VmRSS} of {@code /proc/PID/status},
 * read first) and the heap in use right after a full GC the sample asks for ({@code jcmd PID GC.run}, then the
 * node's own {@code jvm_memory_used_bytes{area="heap"}}): what is still reachable, which is what a leak grows,
 * while the heap in use between collections only says when the last one ran.
 * <p>
 * The verdict, after the warm-up: the heap after GC grew when the mean of the last fifth of a lifetime's samples
 * is above the mean of its first fifth; the RSS grew when the mean of the last fifth is above the highest RSS of
 * the first three fifths — still climbing at the end. A JVM's RSS steps up and stays when its load steps up (the
 * other node killed: this one serves everyone, commits more heap and threads, and keeps them), which is no leak;
 * a leak keeps climbing. A lifetime with fewer than 5 samples after the warm-up is reported, not judged.
 */
final class SoakMemory {

	/** Heap after GC grew: more than this share ... */
	static final double HEAP_GROWTH = 0.10;

	/** ... and more than this many bytes (small heaps wobble by a few MB). */
	static final long HEAP_GROWTH_BYTES = 8L << 20;

	static final double RSS_GROWTH = 0.10;

	static final long RSS_GROWTH_KB = 32L << 10;

	record Sample(double secondsAlive, long rssKb, long heapAfterGcBytes) {
	}

	/** One node process, from its start to its kill (or the end of the soak). */
	static final class Lifetime {

		final String node;

		final int number;

		final long pid;

		final long startedNanos;

		final List<Sample> samples = new ArrayList<>();

		double endedAfterSeconds = -1;

		Lifetime(String node, int number, long pid) {
			this.node = node;
			this.number = number;
			this.pid = pid;
			this.startedNanos = System.nanoTime();
		}

		synchronized List<Sample> samples() {
			return List.copyOf(this.samples);
		}

		/** The verdict, with the numbers it rests on. */
		Verdict verdict(Duration warmup) {
			List<Sample> after = samples().stream().filter(s -> s.secondsAlive() >= warmup.toSeconds()).toList();
			if (after.size() < 5) {
				return new Verdict(false, false, "not judged: " + after.size() + " samples after the warm-up (needs 5)",
						0, 0, 0, 0);
			}
			int fifth = Math.max(1, after.size() / 5);
			double rssFirst = after.subList(0, Math.max(1, after.size() * 3 / 5)).stream().mapToLong(Sample::rssKb).max()
				.orElseThrow(); // the peak of the first three fifths
			double rssLast = after.subList(after.size() - fifth, after.size()).stream().mapToLong(Sample::rssKb)
				.average().orElseThrow();
			double heapFirst = after.subList(0, fifth).stream().mapToLong(Sample::heapAfterGcBytes).average()
				.orElseThrow();
			double heapLast = after.subList(after.size() - fifth, after.size()).stream()
				.mapToLong(Sample::heapAfterGcBytes).average().orElseThrow();
			boolean heapGrew = heapLast > heapFirst * (1 + HEAP_GROWTH) && heapLast - heapFirst > HEAP_GROWTH_BYTES;
			boolean rssGrew = rssLast > rssFirst * (1 + RSS_GROWTH) && rssLast - rssFirst > RSS_GROWTH_KB;
			String text = String.format(Locale.ROOT, "RSS peak %.0f -> last %.0f MB (%+.1f %%), heap after GC %.1f -> %.1f MB (%+.1f %%): %s",
					rssFirst / 1024, rssLast / 1024, 100 * (rssLast / rssFirst - 1), heapFirst / (1 << 20),
					heapLast / (1 << 20), 100 * (heapLast / heapFirst - 1),
					heapGrew || rssGrew ? "GREW" + (heapGrew ? " (heap)" : "") + (rssGrew ? " (RSS)" : "") : "no growth");
			return new Verdict(true, heapGrew || rssGrew, text, rssFirst, rssLast, heapFirst, heapLast);
		}

	}

	record Verdict(boolean judged, boolean grew, String text, double rssFirstKb, double rssLastKb,
			double heapFirstBytes, double heapLastBytes) {
	}

	private final List<Lifetime> lifetimes = new ArrayList<>();

	synchronized Lifetime started(String node, long pid) {
		int number = (int) this.lifetimes.stream().filter(l -> l.node.equals(node)).count() + 1;
		Lifetime lifetime = new Lifetime(node, number, pid);
		this.lifetimes.add(lifetime);
		return lifetime;
	}

	synchronized List<Lifetime> lifetimes() {
		return List.copyOf(this.lifetimes);
	}

	/** One sample of a live node; false when the node could not be sampled (killed meanwhile). */
	static boolean sample(Lifetime lifetime, int port) {
		try {
			long rss = rssKb(lifetime.pid);
			Process gc = new ProcessBuilder(jcmd(), Long.toString(lifetime.pid), "GC.run").redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.DISCARD)
				.start();
			if (!gc.waitFor(60, TimeUnit.SECONDS) || gc.exitValue() != 0) {
				gc.destroyForcibly();
				return false;
			}
			long heap = heapUsed(port);
			double alive = (System.nanoTime() - lifetime.startedNanos) / 1e9;
			synchronized (lifetime) {
				lifetime.samples.add(new Sample(alive, rss, heap));
			}
			return true;
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	static long rssKb(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.substring("VmRSS:".length()).replace("kB", "").trim());
			}
		}
		throw new IOException("No VmRSS for " + pid);
	}

	/** The sum of the heap pools' {@code jvm_memory_used_bytes} in the node's Prometheus scrape. */
	static long heapUsed(int port) throws IOException, InterruptedException {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
					+ "/actuator/prometheus")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
			if (scrape.statusCode() != 200) {
				throw new IOException("/actuator/prometheus answered " + scrape.statusCode());
			}
			double sum = 0;
			boolean found = false;
			for (String line : scrape.body().split("\n")) {
				if (line.startsWith("jvm_memory_used_bytes{") && line.contains("area=\"heap\"")) {
					sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
					found = true;
				}
			}
			if (!found) {
				throw new IOException("no jvm_memory_used_bytes{area=\"heap\"} in the scrape");
			}
			return (long) sum;
		}
	}

	private static String jcmd() {
		return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
	}

}
