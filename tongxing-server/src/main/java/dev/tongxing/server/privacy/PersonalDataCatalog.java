package dev.tongxing.server.privacy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Service;

/**
 * What personal information the gateway processes and why: the items of the collected-information list and the
 * purposes of the processing register, loaded once from the catalogue ({@code tongxing.privacy.catalog}). Each
 * item names the code's declarations it covers ({@code claim:…}, {@code column:table.column},
 * {@code consent:category}), so that a declaration nothing covers is found.
 */
@Service
public class PersonalDataCatalog {

	public record Text(String zh, String en) {

		public String in(Locale locale) {
			return "en".equals(locale.getLanguage()) ? this.en : this.zh;
		}

		Map<String, String> json() {
			return Map.of("zh-CN", this.zh, "en", this.en);
		}

	}

	public record Item(String id, Text name, @DefaultValue("false") boolean sensitive,
			@DefaultValue List<String> purposes, Text method, Text retention, @DefaultValue List<String> covers) {
	}

	/**
	 * @param legalBasis {@code contract}, {@code consent} or {@code legal-duty} (PIPL Art. 13)
	 * @param consentType for consent: {@code general} or {@code separate}
	 * @param risks what makes an impact assessment necessary (PIPL Art. 55): {@code sensitive},
	 * {@code provision-to-others}, {@code cross-border}, {@code automated-decision}, {@code public-disclosure}
	 */
	public record Purpose(String id, Text name, String legalBasis, String consentType,
			@DefaultValue List<String> risks) {

		public boolean risky() {
			return !this.risks.isEmpty();
		}

	}

	record Catalog(@DefaultValue List<Item> items, @DefaultValue List<Purpose> purposes) {
	}

	static final Set<String> LEGAL_BASES = Set.of("contract", "consent", "legal-duty");

	private final List<Item> items;

	private final List<Purpose> purposes;

	PersonalDataCatalog(PrivacyListsProperties properties, ResourceLoader resources) {
		Catalog catalog = load(resources.getResource(properties.catalog()));
		this.items = catalog.items();
		this.purposes = catalog.purposes();
		List<String> problems = problems();
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Invalid personal-data catalogue " + properties.catalog() + ":\n  - "
					+ String.join("\n  - ", problems));
		}
	}

	private static Catalog load(Resource resource) {
		try {
			var sources = new YamlPropertySourceLoader().load("personal-data-catalog", resource);
			return new Binder(ConfigurationPropertySources.from(sources)).bind("catalog", Bindable.of(Catalog.class))
				.orElseThrow(() -> new IllegalStateException("No 'catalog' in " + resource));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the personal-data catalogue " + resource, ex);
		}
	}

	/** Every item complete, in both languages, with purposes the register knows. */
	private List<String> problems() {
		List<String> problems = new ArrayList<>();
		for (Item item : this.items) {
			for (var field : Map.of("name", Optional.ofNullable(item.name()), "method", Optional.ofNullable(item.method()),
					"retention", Optional.ofNullable(item.retention())).entrySet()) {
				if (field.getValue().filter(t -> filled(t.zh()) && filled(t.en())).isEmpty()) {
					problems.add("item " + item.id() + ": " + field.getKey() + " needs zh and en");
				}
			}
			if (item.purposes().isEmpty()) {
				problems.add("item " + item.id() + ": no purposes");
			}
			item.purposes().stream().filter(p -> purpose(p).isEmpty())
				.forEach(p -> problems.add("item " + item.id() + ": purpose " + p + " is not in the register"));
		}
		for (Purpose purpose : this.purposes) {
			if (purpose.name() == null || !filled(purpose.name().zh()) || !filled(purpose.name().en())) {
				problems.add("purpose " + purpose.id() + ": name needs zh and en");
			}
			if (!LEGAL_BASES.contains(purpose.legalBasis())) {
				problems.add("purpose " + purpose.id() + ": legal-basis must be one of " + LEGAL_BASES);
			}
		}
		return problems;
	}

	private static boolean filled(String value) {
		return value != null && !value.isBlank();
	}

	public List<Item> items() {
		return this.items;
	}

	public List<Purpose> purposes() {
		return this.purposes;
	}

	public Optional<Purpose> purpose(String id) {
		return this.purposes.stream().filter(p -> p.id().equals(id)).findFirst();
	}

	public Optional<Item> item(String id) {
		return this.items.stream().filter(i -> i.id().equals(id)).findFirst();
	}

	/** The declarations (e.g. {@code claim:name}) that no item covers. */
	public Set<String> uncovered(Collection<String> declarations) {
		Set<String> covered = new TreeSet<>();
		this.items.forEach(item -> covered.addAll(item.covers()));
		Set<String> missing = new TreeSet<>(declarations);
		missing.removeAll(covered);
		return missing;
	}

	/** The items that cover one of the given declarations, in catalogue order. */
	public List<Item> covering(Collection<String> declarations) {
		return this.items.stream().filter(item -> item.covers().stream().anyMatch(declarations::contains)).toList();
	}

}
