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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * A closed-loop HTTP/1.1 load generator for the token endpoint: {@code connections} platform threads, each
 * owning one keep-alive socket to {@code 127.0.0.1} and sending the next {@code client_credentials} request
 * as soon as the previous response has been read. The request bytes are built once; a response is read with
 * a minimal parser (status line, headers, {@code Content-Length} or chunked body). This keeps the client's
 * own CPU use small, which matters because it shares the machine with the gateway.
 * <p>
 * Timeline (one clock, {@link System#nanoTime()}): warm-up until at least {@code warmup} has passed and at
 * least {@code warmupGrants} grants succeeded (the JIT warms up by invocation counts, not by time, so on a
 * busy machine a time-only warm-up would be too short), but no longer than {@code warmupMax}; then the
 * measuring window of {@code window}, after which no new request is sent. A request counts for the window
 * when its response arrived inside it; its latency is request write to response end.
 * <p>
 * Every loop is bounded by time and by {@code maxRequests} per connection; a connection gives up after
 * {@link #MAX_ERRORS_PER_CONNECTION} errors.
 */
final class LoadGenerator {

	static final int MAX_ERRORS_PER_CONNECTION = 200;

	private static final int SOCKET_TIMEOUT_MILLIS = 30_000;

	/** Latencies in microseconds, up to one minute, three significant digits. */
	private static final long HIGHEST_MICROS = TimeUnit.MINUTES.toMicros(1);

	private static final byte[] ACCESS_TOKEN = "\"access_token\":\"".getBytes(StandardCharsets.US_ASCII);

	record Result(int connections, Duration warmup, Duration window, long successes, long errors, long warmupSuccesses,
			long warmupErrors, long reconnects, long overOneSecond, long overOneSecondOnNewConnection,
			Histogram latencyMicros, long loaderCpuNanos, long processCpuNanos, long jitCpuNanos, long gcCpuNanos,
			String firstError) {

		double grantsPerSecond() {
			return this.successes / (this.window.toNanos() / 1e9);
		}

		double percentileMillis(double percentile) {
			return this.latencyMicros.getTotalCount() == 0 ? Double.NaN
					: this.latencyMicros.getValueAtPercentile(percentile) / 1000.0;
		}

	}

	private final String host = "127.0.0.1";

	private final int port;

	private final byte[] request;

	LoadGenerator(int port, String clientId, String clientSecret, String scope) {
		this.port = port;
		String body = "grant_type=client_credentials&scope=" + scope;
		String basic = Base64.getEncoder()
			.encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
		String head = "POST /oauth2/token HTTP/1.1\r\n" + "Host: " + this.host + ":" + port + "\r\n"
				+ "Authorization: Basic " + basic + "\r\n" + "Content-Type: application/x-www-form-urlencoded\r\n"
				+ "Accept: application/json\r\n" + "Content-Length: " + body.length() + "\r\n\r\n";
		this.request = (head + body).getBytes(StandardCharsets.US_ASCII);
	}

	/** Called by the coordinating thread when the measuring window opens and when it closes. */
	interface WindowListener {

		WindowListener NONE = new WindowListener() {
		};

		default void opened() {
		}

		default void closed() {
		}

	}

	/** When the window opens and closes; both unknown ({@link Long#MAX_VALUE}) until the warm-up ends. */
	private static final class Phase {

		final java.util.concurrent.atomic.LongAdder warmupGrants = new java.util.concurrent.atomic.LongAdder();

		volatile long measureFrom = Long.MAX_VALUE;

		volatile long measureUntil = Long.MAX_VALUE;

	}

	Result run(int connections, Duration warmup, long warmupGrants, Duration warmupMax, Duration window,
			long maxRequests, WindowListener listener) throws InterruptedException {
		long start = System.nanoTime();
		Phase phase = new Phase();
		List<Connection> all = new ArrayList<>();
		List<Thread> threads = new ArrayList<>();
		for (int i = 0; i < connections; i++) {
			Connection c = new Connection(phase, maxRequests);
			all.add(c);
			threads.add(Thread.ofPlatform().name("bench-load-" + i).daemon().start(c));
		}
		com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory
			.getOperatingSystemMXBean();
		sleepUntil(start + warmup.toNanos());
		long warmupDeadline = start + Math.max(warmup.toNanos(), warmupMax.toNanos());
		while (phase.warmupGrants.sum() < warmupGrants && System.nanoTime() < warmupDeadline
				&& threads.stream().anyMatch(Thread::isAlive)) {
			Thread.sleep(20);
		}
		long measureFrom = System.nanoTime();
		long measureUntil = measureFrom + window.toNanos();
		phase.measureUntil = measureUntil;
		phase.measureFrom = measureFrom;
		long cpuFrom = os.getProcessCpuTime();
		var threadsFrom = ThreadCpu.snapshot();
		listener.opened();
		sleepUntil(measureUntil);
		long cpuUntil = os.getProcessCpuTime();
		var threadsUntil = ThreadCpu.snapshot();
		long jit = ThreadCpu.delta(threadsFrom, threadsUntil, ThreadCpu.JIT);
		long gc = ThreadCpu.delta(threadsFrom, threadsUntil, ThreadCpu.GC);
		listener.closed();
		for (Thread t : threads) {
			// every request has a socket timeout, so this is bounded; the extra second is slack
			t.join(SOCKET_TIMEOUT_MILLIS + 1000);
		}
		Histogram latencies = new Histogram(HIGHEST_MICROS, 3);
		long ok = 0, errors = 0, warmOk = 0, warmErrors = 0, reconnects = 0, loaderCpu = 0, slow = 0, slowNew = 0;
		String firstError = null;
		for (Connection c : all) {
			latencies.add(c.latencies);
			ok += c.successes;
			errors += c.errors;
			warmOk += c.warmupSuccesses;
			warmErrors += c.warmupErrors;
			reconnects += Math.max(0, c.connects - 1);
			loaderCpu += c.cpuInWindow;
			slow += c.overOneSecond;
			slowNew += c.overOneSecondOnNewConnection;
			if (firstError == null) {
				firstError = c.firstError;
			}
		}
		return new Result(connections, Duration.ofNanos(measureFrom - start), window, ok, errors, warmOk, warmErrors,
				reconnects, slow, slowNew, latencies, loaderCpu, cpuUntil - cpuFrom, jit, gc, firstError);
	}

	private static void sleepUntil(long nanoTime) throws InterruptedException {
		long left;
		while ((left = nanoTime - System.nanoTime()) > 0) {
			TimeUnit.NANOSECONDS.sleep(left);
		}
	}

	/** One keep-alive connection and the thread that drives it. */
	private final class Connection implements Runnable {

		private final Phase phase;

		private final long maxRequests;

		final Histogram latencies = new Histogram(HIGHEST_MICROS, 3);

		long successes, errors, warmupSuccesses, warmupErrors, connects, overOneSecond, overOneSecondOnNewConnection;

		/** CPU time of this thread from the start of the window to its end. */
		long cpuInWindow;

		String firstError;

		private Socket socket;

		private OutputStream out;

		private InputStream in;

		private byte[] body = new byte[4096];

		private int bodyLength;

		private boolean closeAfter;

		Connection(Phase phase, long maxRequests) {
			this.phase = phase;
			this.maxRequests = maxRequests;
		}

		@Override
		public void run() {
			ThreadMXBean mx = ManagementFactory.getThreadMXBean();
			long cpuAtWindowStart = -1;
			try {
				for (long n = 0; n < this.maxRequests; n++) {
					long begin = System.nanoTime();
					long measureUntil = this.phase.measureUntil;
					long measureFrom = this.phase.measureFrom;
					if (begin >= measureUntil) {
						break;
					}
					if (cpuAtWindowStart < 0 && begin >= measureFrom) {
						cpuAtWindowStart = mx.getCurrentThreadCpuTime();
					}
					boolean fresh = this.socket == null;
					String problem = exchange();
					long end = System.nanoTime();
					// read again: the window may have opened during this request
					measureFrom = this.phase.measureFrom;
					measureUntil = this.phase.measureUntil;
					boolean inWindow = end >= measureFrom && end < measureUntil;
					if (problem == null) {
						if (inWindow) {
							this.successes++;
							this.latencies.recordValue(Math.min(HIGHEST_MICROS, (end - begin) / 1000));
							if (end - begin > 1_000_000_000L) {
								this.overOneSecond++;
								if (fresh) {
									this.overOneSecondOnNewConnection++;
								}
							}
						}
						else if (end < measureFrom) {
							this.warmupSuccesses++;
							this.phase.warmupGrants.increment();
						}
					}
					else {
						if (this.firstError == null) {
							this.firstError = problem;
						}
						if (inWindow) {
							this.errors++;
						}
						else if (end < measureFrom) {
							this.warmupErrors++;
						}
						close();
						if (this.errors + this.warmupErrors >= MAX_ERRORS_PER_CONNECTION) {
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
				if (cpuAtWindowStart >= 0) {
					this.cpuInWindow = mx.getCurrentThreadCpuTime() - cpuAtWindowStart;
				}
				close();
			}
		}

		/** One request/response; {@code null} when it was a 200 with an access token, else what went wrong. */
		private String exchange() {
			try {
				if (this.socket == null) {
					connect();
				}
				this.out.write(LoadGenerator.this.request);
				this.out.flush();
				int status = readResponse();
				if (this.closeAfter) {
					close();
				}
				if (status != 200) {
					return "HTTP " + status + ": " + new String(this.body, 0, Math.min(this.bodyLength, 300),
							StandardCharsets.UTF_8);
				}
				if (indexOf(this.body, this.bodyLength, ACCESS_TOKEN) < 0) {
					return "200 without access_token: "
							+ new String(this.body, 0, Math.min(this.bodyLength, 300), StandardCharsets.UTF_8);
				}
				return null;
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
				this.body = java.util.Arrays.copyOf(this.body, Math.max(this.body.length * 2, this.bodyLength + size));
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
