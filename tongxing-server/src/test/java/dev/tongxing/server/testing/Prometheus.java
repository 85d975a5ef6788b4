package dev.tongxing.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of {@code /actuator/prometheus}, parsed: sample name and labels to value. */
public record Prometheus(Map<String, Map<Map<String, String>, Double>> samples) {

	private static final Pattern LINE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)})?\\s+(\\S+)(\\s+\\S+)?$");

	private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

	public static Prometheus scrape(String issuer) {
		try (HttpClient http = HttpClient.newHttpClient()) {
			HttpResponse<String> response = http.send(
					HttpRequest.newBuilder(URI.create(issuer + "/actuator/prometheus")).header("Accept", "text/plain").build(),
					HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new AssertionError("scrape: HTTP " + response.statusCode());
			}
			return parse(response.body());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	public static Prometheus parse(String text) {
		Map<String, Map<Map<String, String>, Double>> samples = new LinkedHashMap<>();
		for (String line : text.split("\n")) {
			if (line.isBlank() || line.startsWith("#")) {
				continue;
			}
			Matcher m = LINE.matcher(line.strip());
			if (!m.matches()) {
				throw new AssertionError("not a Prometheus sample line: " + line);
			}
			Map<String, String> labels = new TreeMap<>();
			if (m.group(3) != null) {
				Matcher label = LABEL.matcher(m.group(3));
				while (label.find()) {
					labels.put(label.group(1), label.group(2));
				}
			}
			samples.computeIfAbsent(m.group(1), k -> new LinkedHashMap<>()).put(labels, Double.parseDouble(m.group(4)));
		}
		return new Prometheus(samples);
	}

	/** The sum of the samples named {@code name} whose labels include {@code match} (0 when none). */
	public double sum(String name, Map<String, String> match) {
		return this.samples.getOrDefault(name, Map.of())
			.entrySet()
			.stream()
			.filter(e -> e.getKey().entrySet().containsAll(match.entrySet()))
			.mapToDouble(Map.Entry::getValue)
			.sum();
	}

	/** The sum over every label set. */
	public double sum(String name) {
		return sum(name, Map.of());
	}

	public boolean has(String name, Map<String, String> match) {
		return this.samples.getOrDefault(name, Map.of())
			.keySet()
			.stream()
			.anyMatch(labels -> labels.entrySet().containsAll(match.entrySet()));
	}

}
