package dev.tongxing.server.consent;

import dev.tongxing.server.crypto.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.springframework.core.io.ResourceLoader;
import org.springframework.stereotype.Service;

/** The privacy policy's versions, loaded once at start-up; which one is in force depends on the date. */
@Service
public class PrivacyPolicies {

	/** Effective dates are dates in China. */
	static final ZoneId CHINA = ZoneId.of("Asia/Shanghai");

	private final List<PrivacyPolicy> policies;

	private final Clock clock;

	PrivacyPolicies(PrivacyProperties properties, ResourceLoader resources, Clock clock) {
		this.clock = clock;
		List<PrivacyProperties.Policy> configured = properties.policies().isEmpty()
				? List.of(PrivacyProperties.BUNDLED) : properties.policies();
		Parser parser = Parser.builder().build();
		// operators write the texts, but raw HTML in them is still shown as text, never run
		HtmlRenderer renderer = HtmlRenderer.builder().escapeHtml(true).build();
		this.policies = configured.stream()
			.map(p -> {
				if (p.version() == null || p.effectiveDate() == null || p.textZh() == null || p.textEn() == null) {
					throw new IllegalStateException(
							"tongxing.privacy.policies: every version needs version, effective-date, text-zh and text-en");
				}
				String zh = read(resources, p.textZh());
				String en = read(resources, p.textEn());
				return new PrivacyPolicy(p.version(), p.effectiveDate(), p.material(), p.changes(), zh, en,
						renderer.render(parser.parse(zh)), renderer.render(parser.parse(en)),
						Digests.sha256Hex(zh + "\n" + en), p.changesZh());
			})
			.sorted(Comparator.comparing(PrivacyPolicy::effectiveDate))
			.toList();
	}

	/** The version in force today (the first one, before any has taken effect). */
	public PrivacyPolicy current() {
		LocalDate today = LocalDate.now(this.clock.withZone(CHINA));
		return this.policies.stream()
			.filter(p -> !p.effectiveDate().isAfter(today))
			.reduce((a, b) -> b)
			.orElse(this.policies.get(0));
	}

	public Optional<PrivacyPolicy> version(String version) {
		return this.policies.stream().filter(p -> p.version().equals(version)).findFirst();
	}

	public List<PrivacyPolicy> all() {
		return this.policies;
	}

	/**
	 * Whether consent given to {@code acceptedVersion} still holds: it does for the current version, and
	 * for an older one as long as no material change came after it.
	 */
	public boolean stillAccepted(String acceptedVersion) {
		Optional<PrivacyPolicy> accepted = version(acceptedVersion);
		if (accepted.isEmpty()) {
			return false;
		}
		PrivacyPolicy current = current();
		return this.policies.stream()
			.filter(p -> p.effectiveDate().isAfter(accepted.get().effectiveDate())
					&& !p.effectiveDate().isAfter(current.effectiveDate()))
			.noneMatch(PrivacyPolicy::material);
	}

	private static String read(ResourceLoader resources, String location) {
		try {
			return resources.getResource(location).getContentAsString(StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read the privacy policy text " + location, ex);
		}
	}

}
