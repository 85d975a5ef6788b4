package dev.tongxing.server.residency;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Which clients receive personal data abroad: those whose {@code data-region} lies outside the allowed regions.
 * Each must name its legal basis ({@code cross-border-mechanism}, PIPL Art. 38) and may not be first-party,
 * since every person must give separate consent first (Art. 39) — the gateway does not start otherwise.
 */
@Component
public class CrossBorderTransfers implements SmartInitializingSingleton {

	/** The mechanisms of PIPL Art. 38 (1)–(3). */
	public static final Set<String> MECHANISMS = Set.of("standard-contract", "certification", "security-assessment");

	/**
	 * One client's transfer abroad, as the person is told of it.
	 * @param mechanism one of {@link #MECHANISMS}
	 */
	public record CrossBorder(String clientId, String region, String mechanism, String company, String contact) {
	}

	private final ClientRegions regions;

	private final Set<String> allowed;

	CrossBorderTransfers(ClientRegions regions, ResidencyProperties residency) {
		this.regions = regions;
		this.allowed = residency.allowedRegions().stream().map(r -> r.trim().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
	}

	/** The client's transfer abroad, if its data region is outside the allowed ones. */
	public Optional<CrossBorder> of(String clientId) {
		return this.regions.clients().stream()
			.filter(c -> clientId.equals(c.clientId()))
			.findFirst()
			.filter(c -> !this.allowed.contains(region(c)))
			.map(c -> new CrossBorder(c.clientId(), region(c), c.crossBorderMechanism(), c.company(), c.contact()));
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> problems = problems(this.regions, this.allowed);
		if (!problems.isEmpty()) {
			throw new IllegalStateException("Clients that receive personal data abroad:\n  - "
					+ String.join("\n  - ", problems));
		}
	}

	static List<String> problems(ClientRegions regions, Set<String> allowed) {
		List<String> problems = new ArrayList<>();
		for (int i = 0; i < regions.clients().size(); i++) {
			ClientRegions.Client client = regions.clients().get(i);
			String name = "tongxing.clients[" + i + "] (" + client.clientId() + ")";
			String region = region(client);
			if (!region.matches("[a-z][a-z0-9-]{0,31}")) {
				problems.add(name + ": data-region must be a lower-case region name such as 'cn'");
				continue;
			}
			if (allowed.contains(region)) {
				if (client.crossBorderMechanism() != null) {
					problems.add(name + ": cross-border-mechanism is set, but its data-region '" + region
							+ "' is an allowed region (tongxing.residency.allowed-regions): remove it");
				}
				continue;
			}
			if (client.crossBorderMechanism() == null || !MECHANISMS.contains(client.crossBorderMechanism())) {
				problems.add(name + ": its data-region '" + region + "' is outside " + allowed
						+ ": set cross-border-mechanism to one of " + MECHANISMS.stream().sorted().toList()
						+ " (PIPL Art. 38)");
			}
			if (client.firstParty()) {
				problems.add(name + ": a client that receives data abroad cannot be first-party: every person must "
						+ "give separate consent first (PIPL Art. 39)");
			}
			if (client.company() == null || client.company().isBlank() || client.contact() == null
					|| client.contact().isBlank()) {
				problems.add(name + ": a client that receives data abroad needs company and contact, which people "
						+ "are told before they consent (PIPL Art. 39)");
			}
		}
		return problems;
	}

	private static String region(ClientRegions.Client client) {
		return client.dataRegion() == null ? "cn" : client.dataRegion().trim().toLowerCase(Locale.ROOT);
	}

}
