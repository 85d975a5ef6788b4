package dev.tongxing.server.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The properties the gateway has: Spring Boot's (the configuration metadata of every jar on the class path)
 * and the gateway's own {@code tongxing.*}, as README.md's tables document them. Answers which of them an
 * environment variable sets, by Spring Boot's rule (dots become underscores, dashes go, upper case; list
 * elements are {@code _0_}).
 */
final class GatewayProperties {

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private final Set<String> canonical = new HashSet<>();

	private GatewayProperties() {
	}

	static GatewayProperties load(Path readme) {
		GatewayProperties properties = new GatewayProperties();
		properties.addBootMetadata();
		properties.addReadmeTables(readme);
		return properties;
	}

	/** The property {@code variable} sets (in canonical form), or null when the gateway has no such property. */
	String propertyOf(String variable) {
		String candidate = fromVariable(variable);
		return this.canonical.contains(candidate) ? candidate : null;
	}

	/** Whether {@code variable} is how the environment sets {@code property}. */
	static boolean sets(String variable, String property) {
		return fromVariable(variable).equals(canonical(property));
	}

	static String canonical(String property) {
		return property.toLowerCase(Locale.ROOT).replace("-", "").replaceAll("\\[\\d*]", ".#");
	}

	private static String fromVariable(String variable) {
		StringBuilder name = new StringBuilder();
		for (String part : variable.toLowerCase(Locale.ROOT).split("_")) {
			name.append(name.isEmpty() ? "" : ".").append(part.matches("\\d+") ? "#" : part);
		}
		return name.toString();
	}

	private void addBootMetadata() {
		JsonMapper json = JsonMapper.builder().build();
		try {
			for (URL url : Collections.list(getClass().getClassLoader()
				.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream in = url.openStream()) {
					JsonNode properties = json.readTree(in).path("properties");
					for (JsonNode property : properties) {
						this.canonical.add(canonical(property.get("name").asString()));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Rows whose first cell names {@code tongxing.*} properties ({@code `a.b.c` / `.d`} is a.b.c and a.b.d);
	 * for a list ({@code a.b[]}) the names in backquotes of the row's last cell are its elements' fields.
	 */
	private void addReadmeTables(Path readme) {
		try {
			for (String line : Files.readAllLines(readme)) {
				if (!line.startsWith("| `tongxing.")) {
					continue;
				}
				String[] cells = line.split("\\|");
				String parent = null;
				Matcher m = CODE.matcher(cells[1]);
				while (m.find()) {
					String name = m.group(1);
					if (name.startsWith(".") && parent != null) {
						name = parent + name;
					}
					else if (!name.startsWith("tongxing.")) {
						continue;
					}
					parent = name.substring(0, name.lastIndexOf('.'));
					if (name.endsWith("[]")) {
						Matcher field = CODE.matcher(cells[cells.length - 1]);
						while (field.find()) {
							if (field.group(1).matches("[a-z][a-z0-9-]*")) {
								this.canonical.add(canonical(name + "." + field.group(1)));
							}
						}
					}
					this.canonical.add(canonical(name));
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
