package dev.tongxing.server.connector.phone;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Changing the bound phone number, under {@code tongxing.account.phone-change.*}.
 *
 * @param lostNumberWait how long a change waits when the person cannot prove the old number (they lost it):
 * the old number is told at once, and the change can be cancelled from any sign-in until then
 * @param proofTtl how long a proved old number stays proved while the person proves the new one
 * @param checkInterval how often each node looks for changes that are due and notices to send
 */
@ConfigurationProperties("tongxing.account.phone-change")
public record PhoneChangeProperties(@DefaultValue("7d") Duration lostNumberWait,
		@DefaultValue("10m") Duration proofTtl, @DefaultValue("1m") Duration checkInterval) {

	public PhoneChangeProperties {
		// shorter would let someone who took over a session swap the number before its owner notices
		if (lostNumberWait.compareTo(Duration.ofDays(1)) < 0) {
			throw new IllegalArgumentException("tongxing.account.phone-change.lost-number-wait must be at least 1d");
		}
		if (proofTtl.compareTo(Duration.ofMinutes(1)) < 0 || proofTtl.compareTo(Duration.ofHours(1)) > 0) {
			throw new IllegalArgumentException("tongxing.account.phone-change.proof-ttl must be between 1m and 1h");
		}
		if (checkInterval.isNegative() || checkInterval.isZero()) {
			throw new IllegalArgumentException("tongxing.account.phone-change.check-interval must be positive");
		}
	}

}
