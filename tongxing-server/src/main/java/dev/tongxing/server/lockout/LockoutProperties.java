package dev.tongxing.server.lockout;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Failed-password throttling, under {@code tongxing.lockout.*}.
 *
 * @param maxFailures wrong passwords within {@code window}, per address and per name, before a lockout
 * @param window how long failures are counted together
 * @param lockout the first lockout; each further one in a row doubles it
 * @param maxLockout the longest lockout
 * @param secondFactorMaxFailures wrong second-factor codes (console operators' TOTP) within {@code window}, per
 * account and per address, before a lockout: fewer than passwords, since a code has only a million values
 */
@ConfigurationProperties("tongxing.lockout")
public record LockoutProperties(@DefaultValue("10") int maxFailures, @DefaultValue("15m") Duration window,
		@DefaultValue("1m") Duration lockout, @DefaultValue("1h") Duration maxLockout,
		@DefaultValue("5") int secondFactorMaxFailures) {

	@org.springframework.boot.context.properties.bind.ConstructorBinding
	public LockoutProperties {
		if (maxFailures < 1 || secondFactorMaxFailures < 1) {
			throw new IllegalArgumentException(
					"tongxing.lockout.max-failures and second-factor-max-failures must be at least 1");
		}
		if (!window.isPositive() || !lockout.isPositive() || maxLockout.compareTo(lockout) < 0) {
			throw new IllegalArgumentException(
					"tongxing.lockout: window and lockout must be positive, max-lockout at least lockout");
		}
	}

	public LockoutProperties(int maxFailures, Duration window, Duration lockout, Duration maxLockout) {
		this(maxFailures, window, lockout, maxLockout, 5);
	}

	/** How many wrong ones of this kind lock out. */
	int maxFailures(FailedPasswords.Kind kind) {
		return kind == FailedPasswords.Kind.SECOND_FACTOR ? this.secondFactorMaxFailures : this.maxFailures;
	}

	/** The lockout after {@code earlier} lockouts in a row: doubling, at most {@code maxLockout}. */
	Duration lockoutAfter(int earlier) {
		Duration duration = this.lockout;
		for (int i = 0; i < earlier && duration.compareTo(this.maxLockout) < 0; i++) {
			duration = duration.multipliedBy(2);
		}
		return duration.compareTo(this.maxLockout) > 0 ? this.maxLockout : duration;
	}

}
