package dev.tongxing.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU time of this process's threads by kind, read from Linux's {@code /proc/self/task/*}: the JIT
 * compilers and the GC threads are not visible to {@code ThreadMXBean}. Elsewhere (or if {@code /proc}
 * cannot be read) {@link #snapshot()} is empty and the callers report the figures as unavailable.
 */
final class ThreadCpu {

	static final String JIT = "jit";

	static final String GC = "gc";

	static final String OTHER = "other";

	private static final Path TASKS = Path.of("/proc/self/task");

	/** USER_HZ; 100 on every Linux this runs on. */
	private static final long NANOS_PER_TICK = 10_000_000L;

	private ThreadCpu() {
	}

	/** CPU nanoseconds so far by kind ({@link #JIT}, {@link #GC}, {@link #OTHER}); empty if unknown. */
	static Map<String, Long> snapshot() {
		Map<String, Long> byKind = new HashMap<>();
		if (!Files.isDirectory(TASKS)) {
			return byKind;
		}
		try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
			for (Path task : tasks) {
				try {
					String stat = Files.readString(task.resolve("stat"));
					// "tid (comm) state ...": comm may contain spaces and parentheses, so split after the last ')'
					int open = stat.indexOf('(');
					int close = stat.lastIndexOf(')');
					String comm = stat.substring(open + 1, close);
					String[] fields = stat.substring(close + 2).split(" ");
					// fields[0] is field 3 (state); utime and stime are fields 14 and 15
					long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
					byKind.merge(kind(comm), ticks * NANOS_PER_TICK, Long::sum);
				}
				catch (IOException | RuntimeException ex) {
					// the thread ended while we looked; its time is lost either way
				}
			}
		}
		catch (IOException ex) {
			return new HashMap<>();
		}
		return byKind;
	}

	static String kind(String comm) {
		if (comm.startsWith("C1 CompilerThre") || comm.startsWith("C2 CompilerThre")) {
			return JIT;
		}
		if (comm.startsWith("GC Thread") || comm.startsWith("G1 ") || comm.equals("VM Thread")) {
			return GC;
		}
		return OTHER;
	}

	/** {@code after - before} for one kind, or -1 when unknown. */
	static long delta(Map<String, Long> before, Map<String, Long> after, String kind) {
		if (before.isEmpty() || after.isEmpty()) {
			return -1;
		}
		return Math.max(0, after.getOrDefault(kind, 0L) - before.getOrDefault(kind, 0L));
	}

}
