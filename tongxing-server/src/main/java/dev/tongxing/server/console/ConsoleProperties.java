package dev.tongxing.server.console;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The console's sign-in ({@code tongxing.admin.console.*}).
 *
 * @param idleTimeout how long a console sign-in lasts without a request; after that the operator signs in again
 * (first step and second factor)
 */
@ConfigurationProperties("tongxing.admin.console")
public record ConsoleProperties(@DefaultValue("15m") Duration idleTimeout) {

	public ConsoleProperties {
		if (idleTimeout.isNegative() || idleTimeout.isZero()) {
			throw new IllegalArgumentException("tongxing.admin.console.idle-timeout must be positive");
		}
	}

}
