package dev.tongxing.server.oidc.client;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Keys under {@code tongxing.clients[*]} that no client setting has — a misspelled {@code require-pkce} would
 * otherwise be dropped without a word. Environment variables are not checked: their names map to keys loosely
 * ({@code _} stands for both {@code .} and {@code -}), so a check would refuse correct ones.
 */
final class ClientSettingKeys {

	/** The settings, in the uniform form (lower case, no dashes) that relaxed binding compares. */
	static final Set<String> KNOWN = java.util.stream.Stream
		.concat(Arrays.stream(ClientDefinition.class.getRecordComponents()).map(RecordComponent::getName),
				// who runs the client, for the third-party list: bound by the privacy package (ClientParties)
				java.util.stream.Stream.of("company", "contact", "purposes",
						// a client for adults only: bound by the minors package (MinorClientSettings)
						"adultsOnly",
						// where the client processes the data, and the basis for sending it abroad: bound by the
						// residency package (ClientRegions)
						"dataRegion", "crossBorderMechanism",
						// a first-party client's own look on its sign-in pages: bound by the branding package
						// (BrandingClientSettings)
						"branding"))
		.map(name -> name.toLowerCase(java.util.Locale.ROOT))
		.collect(Collectors.toUnmodifiableSet());

	private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName.of("tongxing.clients");

	private ClientSettingKeys() {
	}

	static List<String> unknown(Environment environment) {
		Set<String> problems = new TreeSet<>();
		if (environment == null) {
			return List.of();
		}
		for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
			if (!(source instanceof IterableConfigurationPropertySource iterable)
					|| source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource) {
				continue;
			}
			iterable.stream()
				.filter(name -> CLIENTS.isAncestorOf(name) && name.getNumberOfElements() > 3 && name.isNumericIndex(2))
				.filter(name -> !KNOWN.contains(name.getElement(3, ConfigurationPropertyName.Form.UNIFORM)))
				.forEach(name -> problems.add("tongxing.clients[" + name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL)
						+ "]." + name.getElement(3, ConfigurationPropertyName.Form.DASHED) + " is not a client setting"));
		}
		if (problems.isEmpty()) {
			return List.of();
		}
		List<String> result = new ArrayList<>(problems);
		result.add("client settings are: " + Arrays.stream(ClientDefinition.class.getRecordComponents())
			.map(c -> c.getName().replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT))
			.collect(Collectors.joining(", ")));
		return result;
	}

}
