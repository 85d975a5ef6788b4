package dev.tongxing.server.connector.phone;

import java.time.Duration;
import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Recycled phone numbers (二次号), under {@code tongxing.phone.recycled.*}.
 *
 * @param inactiveAfter a number bound to an account that has not been used for this long (no sign-in, no token
 * issued to any of its apps) is presumed to have
 * passed to someone else: whoever proves it next gets a new account (default 365 days; {@code 0} turns the rule
 * off, leaving only the carrier's signals). Never below 90 days, or people who merely paused would lose theirs
 * @param carrierZone the time zone of the dates carriers report ({@code recycled_on}): a binding made before the
 * start of that day there is stale
 */
@ConfigurationProperties("tongxing.phone.recycled")
public record PhoneRecycledProperties(@DefaultValue("365d") Duration inactiveAfter,
		@DefaultValue("Asia/Shanghai") ZoneId carrierZone) {

	public static final Duration MINIMUM_INACTIVITY = Duration.ofDays(90);

	public PhoneRecycledProperties {
		if (inactiveAfter.isNegative()
				|| (!inactiveAfter.isZero() && inactiveAfter.compareTo(MINIMUM_INACTIVITY) < 0)) {
			throw new IllegalArgumentException("tongxing.phone.recycled.inactive-after must be 0 (off) or at least 90d (was "
					+ inactiveAfter + ")");
		}
	}

	/** Whether long inactivity counts as a recycle signal. */
	public boolean inactivityRule() {
		return !this.inactiveAfter.isZero();
	}

}
