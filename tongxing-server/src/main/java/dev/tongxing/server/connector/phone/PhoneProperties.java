package dev.tongxing.server.connector.phone;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Phone login under {@code tongxing.phone.*}.
 *
 * @param defaultRegion the region (ISO 3166 code) assumed for numbers typed without a country code
 * @param codeTtl how long a code works
 * @param maxAttempts wrong tries a code survives; the last one kills it
 * @param limits how often codes may be sent
 */
@ConfigurationProperties("tongxing.phone")
public record PhoneProperties(@DefaultValue("CN") String defaultRegion, @DefaultValue("5m") Duration codeTtl,
		@DefaultValue("5") int maxAttempts, @DefaultValue Limits limits) {

	public PhoneProperties {
		if (codeTtl.compareTo(Duration.ofMinutes(1)) < 0 || codeTtl.compareTo(Duration.ofMinutes(30)) > 0) {
			throw new IllegalArgumentException("tongxing.phone.code-ttl must be between 1m and 30m");
		}
		if (maxAttempts < 1 || maxAttempts > 10) {
			throw new IllegalArgumentException("tongxing.phone.max-attempts must be between 1 and 10");
		}
	}

	/**
	 * @param perNumber codes one phone number may receive
	 * @param perIp codes one client address may request
	 */
	public record Limits(@DefaultValue Limit perNumber, @DefaultValue Limit perIp) {
	}

	/**
	 * Sliding windows: at most {@code perMinute} in any 60 seconds and {@code perDay} in any 24 hours.
	 */
	public record Limit(@DefaultValue("1") int perMinute, @DefaultValue("10") int perDay) {

		public Limit {
			if (perMinute < 1 || perDay < perMinute) {
				throw new IllegalArgumentException(
						"tongxing.phone.limits.*: per-minute must be at least 1 and per-day at least per-minute");
			}
		}
	}

}
