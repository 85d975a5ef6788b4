package dev.tongxing.server.ratelimit;

import dev.tongxing.server.testing.FreePort;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * A Redis of the test's own on a free port, without persistence, that the test may stop and start again
 * (the machine's Redis on 6379 is never touched).
 */
final class PrivateRedis implements AutoCloseable {

	private final int port = FreePort.find();

	private Process process;

	PrivateRedis start() throws Exception {
		this.process = new ProcessBuilder("redis-server", "--port", Integer.toString(this.port), "--bind", "127.0.0.1",
				"--save", "", "--appendonly", "no",
				// DEBUG SLEEP: a test may make it slow without stopping it
				"--enable-debug-command", "local")
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.DISCARD)
			.start();
		for (int i = 0; i < 100 && !answers(); i++) {
			Thread.sleep(100);
		}
		if (!answers()) {
			throw new IllegalStateException("redis-server did not start on port " + this.port);
		}
		return this;
	}

	void stop() throws InterruptedException {
		if (this.process != null) {
			this.process.destroy();
			if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor();
			}
			this.process = null;
		}
	}

	/** Makes Redis answer nobody for {@code millis} (DEBUG SLEEP), returning at once. */
	Thread sleep(long millis) {
		Thread sleeper = Thread.ofPlatform().start(() -> {
			try (Socket socket = new Socket("127.0.0.1", this.port)) {
				OutputStream out = socket.getOutputStream();
				out.write(("DEBUG SLEEP " + millis / 1000.0 + "\r\n").getBytes(StandardCharsets.US_ASCII));
				out.flush();
				socket.getInputStream().readNBytes(5);
			}
			catch (IOException e) {
				throw new java.io.UncheckedIOException(e);
			}
		});
		return sleeper;
	}

	int port() {
		return this.port;
	}

	private boolean answers() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			byte[] reply = socket.getInputStream().readNBytes(5);
			return new String(reply, StandardCharsets.US_ASCII).equals("+PONG");
		}
		catch (IOException e) {
			return false;
		}
	}

	@Override
	public void close() throws InterruptedException {
		stop();
	}

}
