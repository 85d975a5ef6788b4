package dev.tongxing.example.web;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A Spring Boot app in a JVM of its own, with its own classpath and configuration, as it runs in production. */
final class JavaProcess implements AutoCloseable {

	private final String name;

	private final Process process;

	private final Path log;

	private JavaProcess(String name, Process process, Path log) {
		this.name = name;
		this.process = process;
		this.log = log;
	}

	static JavaProcess start(String name, List<String> classpath, String mainClass, List<String> args) {
		Path logs = Path.of(System.getProperty("example.logs", "target"));
		Path log = logs.resolve(name + ".log");
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		// a short-lived JVM: the C1 compiler alone starts it sooner
		command.addAll(List.of("-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", String.join(File.pathSeparator, classpath),
				mainClass));
		command.addAll(args);
		try {
			Files.createDirectories(logs);
			Process process = new ProcessBuilder(command).directory(logs.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			return new JavaProcess(name, process, log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Waits until {@code url} answers 200, or fails with the end of the app's log. */
	JavaProcess awaitReady(String url, Duration timeout) {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
		Instant deadline = Instant.now().plus(timeout);
		while (Instant.now().isBefore(deadline)) {
			if (!this.process.isAlive()) {
				throw new AssertionError(this.name + " exited with " + this.process.exitValue() + ":\n" + logTail());
			}
			try {
				HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
						HttpResponse.BodyHandlers.discarding());
				if (response.statusCode() == 200) {
					return this;
				}
			}
			catch (IOException notYet) {
				// not listening yet
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException(ex);
			}
			sleep(250);
		}
		throw new AssertionError(this.name + " did not answer " + url + " within " + timeout + ":\n" + logTail());
	}

	String logTail() {
		try {
			List<String> lines = Files.readAllLines(this.log);
			return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
		}
		catch (IOException ex) {
			return "(no log: " + ex + ")";
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(20, TimeUnit.SECONDS)) {
				this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
