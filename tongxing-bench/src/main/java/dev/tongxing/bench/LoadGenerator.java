package dev.tongxing.bench;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator for one {@link Workload}: {@code connections} platform threads, each
 * owning one keep-alive socket to {@code 127.0.0.1} and sending its script's next request as soon as the
 * previous response has been read. The request bytes are built beforehand; a response is read with
 * a minimal parser (status line, headers, {@code Content-Length} or chunked body). This keeps the client's
 * own CPU use small, which matters because it shares the machine with the gateway.
 * <p>
 * Driven by one coordinating thread: {@link #start}, {@link #warmUp} (at least {@code warmup} and at least
 * {@code warmupGrants} grants, since the JIT warms up by invocation counts, not by time; at most
 * {@code warmupMax}), then any number of {@link #segment measuring segments} with the load paused (every
 * connection idle) in between, so that the raw signing baseline can be measured between segments without
 * competing with the load, and {@link #stop}. A response counts for a segment when it arrived inside it; its
 * latency is request write to response end.
 * <p>
 * Every loop is bounded by time ({@link #HARD_LIMIT}) and by {@code maxRequests} per connection; a
 * connection gives up after {@link #MAX_ERRORS_PER_CONNECTION} errors.
 */
final class LoadGenerator {

	static final int MAX_ERRORS_PER_CONNECTION = 200;

	/** Most measuring segments one run may have. */
	static final int MAX_SEGMENTS = 64;

	/** No connection thread runs longer than this, whatever the coordinator does. */
	static final Duration HARD_LIMIT = Duration.ofMinutes(15);

	private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

	/** Latencies in microseconds, up to one minute, three significant digits. */
	private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

	/** One measuring segment's counts; {@code starvedMillis}: time connections waited for an empty pool. */
	record Segment(int index, Duration elapsed, long successes, long errors, long starvedMillis, long processCpuNanos,
			long loaderCpuNanos, long jitCpuNanos, long gcCpuNanos) {

		double grantsPerSecond() {
			return this.successes / (this.elapsed.toNanos() / 1e9);
		}

	}

	/** All segments together. */
	record Result(int connections, Duration warmup, Duration window, long successes, long errors,
			long warmupSuccesses, long warmupErrors, long reconnects, long overOneSecond,
			long overOneSecondOnNewConnection, Histogram latencyMicros, long loaderCpuNanos, long processCpuNanos,
			long jitCpuNanos, long gcCpuNanos, String firstError, long starvedMillis, List<Segment> segments) {

		double grantsPerSecond() {
			return this.successes / (this.window.toNanos() / 1e9);
		}

		double percentileMillis(double percentile) {
			return this.latencyMicros.getTotalCount() == 0 ? Double.NaN
					: this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
		}

	}

	/**
	 * The current phase, published as one immutable value: warm-up ({@code index} -1, {@code until} open),
	 * a measuring segment ({@code index} >= 0), or a pause (any {@code index}, {@code until} in the past).
	 */
	private record Phase(int index, long from, long until) {
	}

	private static final Phase WARMUP = new Phase(-1, Long.MAX_VALUE, Long.MAX_VALUE);

	private final String host = "127.0.0.1";

	private final int port;

	private final Workload workload;

	private final LongAdder warmupGrants = new LongAdder();

	private final List<Connection> connections = new ArrayList<>();

	private final List<Thread> threads = new ArrayList<>();

	private final List<Segment> segments = new ArrayList<>();

	private final ThreadMXBean threadMx = ManagementFactory.getThreadMXBean();

	private final com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
		.getOperatingSystemMXBean();

	private volatile Phase phase = WARMUP;

	private volatile boolean stopped;

	private long startedAt;

	private Duration warmupTook = Duration.ZERO;

	LoadGenerator(int port, Workload workload) {
		this.port = port;
		this.workload = workload;
	}

	/** Starts the connections; they warm up until {@link #warmUp} ends. */
	void start(int connections, long maxRequests) {
		this.startedAt = System.nanoTime();
		long hardDeadline = this.startedAt + HARD_LIMIT.toNanos();
		for (int i = 0; i < connections; i++) {
			Connection c = new Connection(maxRequests, hardDeadline, this.workload.script(i));
			this.connections.add(c);
			this.threads.add(Thread.ofPlatform().name("bench-load-" + i).daemon().start(c));
		}
	}

	/** Waits out the warm-up, then pauses the load (returns when every connection is idle). */
	void warmUp(Duration warmup, long grants, Duration warmupMax) throws InterruptedException {
		sleepUntil(this.startedAt + warmup.toNanos());
		long deadline = this.startedAt + Math.max(warmup.toNanos(), warmupMax.toNanos());
		while (this.warmupGrants.sum() < grants && System.nanoTime() < deadline && anyAlive()) {
			Thread.sleep(20);
		}
		this.warmupTook = Duration.ofNanos(System.nanoTime() - this.startedAt);
		pause(-1);
	}

	/** Runs one measuring segment of {@code length}, then pauses the load again. */
	Segment segment(Duration length, WindowListener listener) throws InterruptedException {
		int index = this.segments.size();
		long cpu0 = this.os.getProcessCpuTime();
		long loader0 = loaderCpu();
		Map<String, Long> kinds0 = ThreadCpu.snapshot();
		long from = System.nanoTime();
		long until = from + length.toNanos();
		this.phase = new Phase(index, from, until);
		listener.opened();
		sleepUntil(until);
		long cpu1 = this.os.getProcessCpuTime();
		long loader1 = loaderCpu();
		Map<String, Long> kinds1 = ThreadCpu.snapshot();
		listener.closed();
		pause(index);
		long ok = 0;
		long errors = 0;
		long starved = 0;
		for (Connection c : this.connections) {
			ok += c.segmentSuccesses[index];
			errors += c.segmentErrors[index];
			starved += c.segmentStarvedMillis[index];
		}
		Segment segment = new Segment(index, Duration.ofNanos(until - from), ok, errors, starved, cpu1 - cpu0,
				loader1 - loader0, ThreadCpu.delta(kinds0, kinds1, ThreadCpu.JIT),
				ThreadCpu.delta(kinds0, kinds1, ThreadCpu.GC));
		this.segments.add(segment);
		return segment;
	}

	/** Stops the connections and adds everything up. */
	Result stop() throws InterruptedException {
		this.stopped = true;
		for (Thread t : this.threads) {
			// every request has a socket timeout, so this is bounded; the extra second is slack
			t.join(SOCKET_TIMEOUT_MILLIS + 1000);
		}
		Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
		long warmOk = 0, warmErrors = 0, reconnects = 0, slow = 0, slowNew = 0;
		String firstError = null;
		for (Connection c : this.connections) {
			latencies.add(c.latencies);
			warmOk += c.warmupSuccesses;
			warmErrors += c.warmupErrors;
			reconnects += Math.max(0, c.connects - 1);
			slow += c.overOneSecond;
			slowNew += c.overOneSecondOnNewConnection;
			if (firstError == null) {
				firstError = c.firstError;
			}
		}
		long ok = 0, errors = 0, starved = 0, loader = 0, cpu = 0, jit = 0, gc = 0, nanos = 0;
		for (Segment s : this.segments) {
			ok += s.successes();
			errors += s.errors();
			starved += s.starvedMillis();
			loader += s.loaderCpuNanos();
			cpu += s.processCpuNanos();
			jit = (jit < 0 || s.jitCpuNanos() < 0) ? -1 : jit + s.jitCpuNanos();
			gc = (gc < 0 || s.gcCpuNanos() < 0) ? -1 : gc + s.gcCpuNanos();
			nanos += s.elapsed().toNanos();
		}
		return new Result(this.connections.size(), this.warmupTook, Duration.ofNanos(nanos), ok, errors, warmOk,
				warmErrors, reconnects, slow, slowNew, latencies, loader, cpu, jit, gc, firstError, starved,
				List.copyOf(this.segments));
	}

	/** Ends the current phase and waits (bounded) until no request is in flight. */
	private void pause(int index) throws InterruptedException {
		long now = System.nanoTime();
		Phase current = this.phase;
		this.phase = new Phase(index, current.from(), Math.min(current.until(), now));
		long deadline = now + TimeUnit.MILLISECONDS.toNanos(SOCKET_TIMEOUT_MILLIS + 1000);
		while (System.nanoTime() < deadline) {
			boolean allIdle = true;
			for (int i = 0; i < this.connections.size(); i++) {
				if (!this.connections.get(i).idle && this.threads.get(i).isAlive()) {
					allIdle = false;
					break;
				}
			}
			if (allIdle) {
				return;
			}
			Thread.sleep(1);
		}
	}

	private boolean anyAlive() {
		return this.threads.stream().anyMatch(Thread::isAlive);
	}

	private long loaderCpu() {
		long sum = 0;
		for (Thread t : this.threads) {
			long cpu = this.threadMx.getThreadCpuTime(t.threadId());
			sum += Math.max(0, cpu);
		}
		return sum;
	}

	/** Called by the coordinating thread when a measuring segment opens and when it closes. */
	interface WindowListener {

		WindowListener NONE = new WindowListener() {
		};

		default void opened() {
		}

		default void closed() {
		}

	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

	/** One keep-alive connection and the thread that drives it. */
	private final class Connection implements Runnable {

		private final long maxRequests;

		private final long hardDeadline;

		/** Successes and errors per measuring segment (at most {@link #MAX_SEGMENTS}). */
		final long[] segmentSuccesses = new long[MAX_SEGMENTS];

		final long[] segmentErrors = new long[MAX_SEGMENTS];

		final long[] segmentStarvedMillis = new long[MAX_SEGMENTS];

		private final Workload.Script script;

		/** No request in flight and none will start until the next phase. */
		volatile boolean idle;

		final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);

		long warmupSuccesses, warmupErrors, connects, overOneSecond, overOneSecondOnNewConnection;

		String firstError;

		private Socket socket;

		private OutputStream out;

		private InputStream in;

		private byte[] body = new byte[4096];

		private int bodyLength;

		private boolean closeAfter;

		Connection(long maxRequests, long hardDeadline, Workload.Script script) {
			this.maxRequests = maxRequests;
			this.hardDeadline = hardDeadline;
			this.script = script;
		}

		@Override
		public void run() {
			try {
				long n = 0;
				while (n < this.maxRequests && !LoadGenerator.this.stopped) {
					long begin = System.nanoTime();
					if (begin >= this.hardDeadline) {
						break;
					}
					if (begin >= LoadGenerator.this.phase.until()) {
						// paused between phases
						this.idle = true;
						Thread.sleep(1);
						continue;
					}
					this.idle = false;
					byte[] request = this.script.request();
					if (request == null) {
						// the pool of single-use requests is empty: wait for the next refill, and say so
						Phase p = LoadGenerator.this.phase;
						if (p.index() >= 0) {
							this.segmentStarvedMillis[p.index()]++;
						}
						this.idle = true;
						Thread.sleep(1);
						continue;
					}
					n++;
					boolean fresh = this.socket == null;
					String problem = exchange(request);
					long end = System.nanoTime();
					Phase p = LoadGenerator.this.phase;
					boolean inSegment = p.index() >= 0 && end >= p.from() && end < p.until();
					boolean warmup = p.index() < 0 && end < p.until();
					if (problem == null) {
						if (inSegment) {
							this.segmentSuccesses[p.index()]++;
							this.latencies.recordValue(Math.min(HIGHEST_MICROS, (end - begin) / 1000));
							if (end - begin > 1_000_000_000L) {
								this.overOneSecond++;
								if (fresh) {
									this.overOneSecondOnNewConnection++;
								}
							}
						}
						else if (warmup) {
							this.warmupSuccesses++;
							LoadGenerator.this.warmupGrants.increment();
						}
					}
					else {
						if (this.firstError == null) {
							this.firstError = problem;
						}
						if (inSegment) {
							this.segmentErrors[p.index()]++;
						}
						else {
							this.warmupErrors++;
						}
						close();
						if (this.warmupErrors + Arrays.stream(this.segmentErrors).sum() >= MAX_ERRORS_PER_CONNECTION) {
							break;
						}
						Thread.sleep(10);
					}
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.idle = true;
				close();
			}
		}

		/** One request/response; {@code null} when the script accepts the response, else what went wrong. */
		private String exchange(byte[] request) {
			try {
				if (this.socket == null) {
					connect();
				}
				this.out.write(request);
				this.out.flush();
				int status = readResponse();
				if (this.closeAfter) {
					close();
				}
				return this.script.accept(status, this.body, this.bodyLength);
			}
			catch (IOException ex) {
				return ex.toString();
			}
		}

		private void connect() throws IOException {
			Socket s = new Socket();
			s.setTcpNoDelay(true);
			s.setKeepAlive(true);
			s.setSoTimeout(SOCKET_TIMEOUT_MILLIS);
			s.connect(new InetSocketAddress(InetAddress.getByName(LoadGenerator.this.host), LoadGenerator.this.port),
					SOCKET_TIMEOUT_MILLIS);
			this.socket = s;
			this.out = s.getOutputStream();
			this.in = new BufferedInputStream(s.getInputStream(), 16 * 1024);
			this.connects++;
		}

		private void close() {
			if (this.socket != null) {
				try {
					this.socket.close();
				}
				catch (IOException ignored) {
					// nothing to do
				}
				this.socket = null;
			}
		}

		private int readResponse() throws IOException {
			String statusLine = readLine();
			// "HTTP/1.1 200 " (Tomcat omits the reason phrase)
			if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12) {
				throw new IOException("Bad status line: " + statusLine);
			}
			int status = Integer.parseInt(statusLine.substring(9, 12));
			long contentLength = -1;
			boolean chunked = false;
			this.closeAfter = statusLine.startsWith("HTTP/1.0");
			for (String line = readLine(); !line.isEmpty(); line = readLine()) {
				int colon = line.indexOf(':');
				if (colon < 0) {
					continue;
				}
				String name = line.substring(0, colon).trim();
				String value = line.substring(colon + 1).trim();
				if (name.equalsIgnoreCase("Content-Length")) {
					contentLength = Long.parseLong(value);
				}
				else if (name.equalsIgnoreCase("Transfer-Encoding")) {
					chunked = value.toLowerCase().contains("chunked");
				}
				else if (name.equalsIgnoreCase("Connection")) {
					this.closeAfter = value.equalsIgnoreCase("close");
				}
			}
			this.bodyLength = 0;
			if (chunked) {
				for (int chunk = 0; chunk < 10_000; chunk++) {
					String sizeLine = readLine();
					int semicolon = sizeLine.indexOf(';');
					int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(),
							16);
					if (size == 0) {
						while (!readLine().isEmpty()) {
							// trailers
						}
						break;
					}
					readBody(size);
					readLine();
				}
			}
			else if (contentLength >= 0) {
				readBody(Math.toIntExact(contentLength));
			}
			else {
				throw new IOException("Response without a length");
			}
			return status;
		}

		private void readBody(int size) throws IOException {
			if (this.bodyLength + size > this.body.length) {
				this.body = Arrays.copyOf(this.body, Math.max(this.body.length * 2, this.bodyLength + size));
			}
			int done = 0;
			while (done < size) {
				int n = this.in.read(this.body, this.bodyLength + done, size - done);
				if (n < 0) {
					throw new EOFException("Connection closed in the body");
				}
				done += n;
			}
			this.bodyLength += size;
		}

		private final StringBuilder line = new StringBuilder(128);

		private String readLine() throws IOException {
			this.line.setLength(0);
			for (int i = 0; i < 16 * 1024; i++) {
				int b = this.in.read();
				if (b < 0) {
					throw new EOFException("Connection closed");
				}
				if (b == '\n') {
					int len = this.line.length();
					if (len > 0 && this.line.charAt(len - 1) == '\r') {
						this.line.setLength(len - 1);
					}
					return this.line.toString();
				}
				this.line.append((char) b);
			}
			throw new IOException("Header line too long");
		}

	}

	static int indexOf(byte[] haystack, int length, byte[] needle) {
		outer: for (int i = 0; i <= length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
