package dev.tongxing.server.residency;

import dev.tongxing.server.audit.AuditEntry;
import dev.tongxing.server.audit.AuditLog;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * Keeps personal data in the allowed regions. At start-up every store that holds personal data must declare
 * a region inside them, or the gateway refuses to start and says which store and what to set. Every outbound
 * delivery of personal data (event receivers, SMS providers, …) is checked before it leaves; a delivery to a
 * receiver outside the allowed regions is refused and recorded in the audit log.
 */
@Component
public class ResidencyGuard implements SmartInitializingSingleton {

	/** The stores the gateway always has, and where they are unless configured otherwise. */
	static final Map<String, String> BUILT_IN = Map.of("database", "cn", "sms", "cn");

	private final Set<String> allowed;

	private final Map<String, String> stores;

	private final AuditLog audit;

	ResidencyGuard(ResidencyProperties properties, AuditLog audit) {
		this.allowed = properties.allowedRegions()
			.stream()
			.map(r -> r.trim().toLowerCase(Locale.ROOT))
			.collect(Collectors.toUnmodifiableSet());
		Map<String, String> stores = new TreeMap<>(BUILT_IN);
		properties.stores().forEach((name, region) -> stores.put(name, region.trim().toLowerCase(Locale.ROOT)));
		this.stores = Map.copyOf(stores);
		this.audit = audit;
	}

	@Override
	public void afterSingletonsInstantiated() {
		List<String> outside = new ArrayList<>();
		this.stores.forEach((name, region) -> {
			if (!this.allowed.contains(region)) {
				outside.add("'" + name + "' is in region '" + region + "' (tongxing.residency.stores." + name + ")");
			}
		});
		if (!outside.isEmpty()) {
			throw new IllegalStateException("Personal data may only be stored in " + this.allowed
					+ " (tongxing.residency.allowed-regions), but:\n  - " + String.join("\n  - ", outside)
					+ "\nMove the store, or — only with a legal basis for cross-border transfer — allow its region.");
		}
	}

	/**
	 * Checks a delivery of personal data before it leaves.
	 * @return whether it may go; a refused delivery is audited
	 */
	public boolean mayDeliver(String receiver, String receiverRegion, String subject) {
		String region = receiverRegion == null ? "unknown" : receiverRegion.trim().toLowerCase(Locale.ROOT);
		if (this.allowed.contains(region)) {
			return true;
		}
		this.audit.record(AuditEntry.of("residency.delivery-refused")
			.actor("system")
			.subject(subject)
			.detail("receiver", receiver)
			.detail("region", region));
		return false;
	}

	public Map<String, String> stores() {
		return this.stores;
	}

}
